package io.weft.executor.nodes.ai;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.TokenStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One streamed model call, waited for: each piece of the answer's text goes to the node's
 * {@link TokenStream} as it comes, and the call returns the whole answer (text, tool calls, tokens)
 * as a call that does not stream does. The executor's provider client reads the stream on the
 * calling thread, so the pieces arrive in order on the node's thread; a node stopped meanwhile
 * (timeout, cancel) interrupts the read and the stream is cancelled.
 */
final class StreamedAnswer implements StreamingChatResponseHandler {
    private final TokenStream tokens;
    private final CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
    private volatile StreamingHandle handle;

    private StreamedAnswer(TokenStream tokens) {
        this.tokens = tokens;
    }

    static ChatResponse of(StreamingChatModel model, ChatRequest request, TokenStream tokens) {
        StreamedAnswer streamed = new StreamedAnswer(tokens);
        model.chat(request, streamed);
        try {
            ChatResponse response = streamed.answer.get();
            if (response.aiMessage() == null || (response.aiMessage().text() == null && !response.aiMessage().hasToolExecutionRequests())) {
                // A 200 whose body was no stream of the API's (a proxy's error page): the parser found no event in it.
                throw new IllegalStateException("the streamed answer held no text and no tool call");
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            StreamingHandle handle = streamed.handle;
            if (handle != null) {
                handle.cancel();
            }
            throw new NodeFailure(ErrorKind.CANCELLED, false, "the model's answer was stopped: its node timed out or was cancelled");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } finally {
            tokens.flush();
        }
    }

    @Override
    public void onPartialResponse(String text) {
        tokens.append(text);
    }

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        handle = context.streamingHandle();
        tokens.append(partial.text());
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        answer.complete(response);
    }

    @Override
    public void onError(Throwable failure) {
        answer.completeExceptionally(failure);
    }
}
