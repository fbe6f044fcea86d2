package io.weft.workflow.webhooks;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes a {@link StreamedAnswer}: the webhook resource answers with one as its entity (status and
 * headers set as for any answer), and this hands it the response to write its lines to as they
 * come. A webhook's answer is decided per call, so the resource keeps one signature for streamed
 * and whole answers.
 */
@Provider
@Produces(StreamedAnswer.MEDIA_TYPE)
public class StreamedAnswerWriter implements ServerMessageBodyWriter<StreamedAnswer> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return StreamedAnswer.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return StreamedAnswer.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(StreamedAnswer answer, Type genericType, ServerRequestContext context) {
        answer.attach(context.serverResponse());
    }

    @Override
    public void writeTo(StreamedAnswer answer, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) {
        throw new UnsupportedOperationException("a streamed webhook answer is written by writeResponse only");
    }
}
