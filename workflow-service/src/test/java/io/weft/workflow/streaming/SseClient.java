package io.weft.workflow.streaming;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A plain server-sent-events client: reads the stream on its own thread into events (and notes when it ends). */
public final class SseClient implements AutoCloseable {
    public record Event(String id, String name, String data) {
    }

    private static final Event END = new Event(null, null, null);
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    final int status;

    public SseClient(URI uri, String token, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> answer = response.get(10, TimeUnit.SECONDS);
        status = answer.statusCode();
        Thread.ofVirtual().start(() -> {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            try {
                for (String line : (Iterable<String>) answer.body()::iterator) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(id, name, data.toString()));
                        }
                        id = null;
                        name = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith(":")) {
                        comments.add(line.substring(1).trim());
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (RuntimeException ignored) {
                // the connection was closed
            }
            events.add(END);
        });
    }

    /** The next event, or null when the stream ended; fails when nothing comes within {@code within}. */
    public Event next(Duration within) throws InterruptedException {
        Event event = events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event and no end of the stream within " + within);
        }
        return event == END ? null : event;
    }

    /** The next comment line (keep-alives and the like), without its colon; fails when none comes within {@code within}. */
    public String comment(Duration within) throws InterruptedException {
        String comment = comments.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (comment == null) {
            throw new AssertionError("no comment within " + within);
        }
        return comment;
    }

    public List<Event> take(int count, Duration within) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Event event = next(within);
            if (event == null) {
                throw new AssertionError("the stream ended after " + taken.size() + " events, " + count + " were expected");
            }
            taken.add(event);
        }
        return taken;
    }

    @Override
    public void close() {
        response.cancel(true);
    }
}
