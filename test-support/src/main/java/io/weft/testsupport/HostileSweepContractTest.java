package io.weft.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the service's own OpenAPI document, called with hostile path ids, query and
 * header parameters and bodies by a caller that passes authorisation ({@link #authorization}): each answer
 * is below 500, and every 4xx is an {@code application/problem+json} problem. A service's test
 * extends it (with {@code @QuarkusTest}) and checks in {@link #assertNothingWritten} that nothing
 * was written on the way. Streams ({@code text/event-stream}) are left out: they stay open by
 * design. Requests go over a plain socket, byte for byte as written here: HTTP client libraries
 * refuse to send a broken escape such as {@code %zz}, which is what a hostile caller sends.
 */
public abstract class HostileSweepContractTest {
    /** Already percent-encoded, as a client would send them on the wire. */
    public static final List<String> HOSTILE_VALUES = List.of("x".repeat(10_000), "%00", "abc%00def", "1'%20OR%20'1'='1",
            "..%2F..%2Fetc%2Fpasswd", "%F0%9F%92%A5", "%E2%80%AE", "-1", "99999999999999999999999", "null", "%25", "%C3%28",
            "%7Bid%7D", "%0D%0ASet-Cookie:%20a=b", "%FF%FE", "%zz", "a%2", "~!*();:@&=+$,");
    /** Hostile JSON bodies: broken, of the wrong shape, with NUL, deep, large. */
    public static final List<String> HOSTILE_BODIES = List.of("{", "[]", "null", "\"x\"", "42", "{\"a\":1,\"a\":2}",
            "{\"name\":\"\\u0000\",\"id\":\"\\u0000\",\"value\":\"\\u0000\"}", "{\"name\":[],\"id\":{},\"limit\":\"x\",\"type\":7}",
            "[".repeat(5_000) + "]".repeat(5_000), "{\"name\":\"" + "x".repeat(3_000_000) + "\"}");
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final ObjectMapper JSON = new ObjectMapper();
    private int authorisedAnswers;

    /** The {@code Authorization} header that passes authentication and authorisation for {@code path} (a tenant's owner, …). */
    protected abstract String authorization(String path);

    /** Fails if the sweep wrote anything (a row, a file); called once after every call was made. */
    protected abstract void assertNothingWritten();

    /** Paths of the document the sweep leaves alone, with the reason in the subclass (e.g. endpoints that wait on purpose). */
    protected boolean skipped(String method, String path) {
        return false;
    }

    public record Operation(String method, String path, List<String> pathParameters, List<String> queryParameters,
                            List<String> headerParameters, boolean body) {
    }

    /** Headers the sweep writes itself: their hostile values would test the sweep, not the service. */
    private static final Set<String> OWN_HEADERS = Set.of("authorization", "content-type", "content-length", "accept", "host", "connection");

    @Test
    void everyOperationAnswersHostileInputWithAProblemNeverAServerError() throws Exception {
        List<Operation> operations = operations();
        assertThat(operations).as("the service's OpenAPI document lists its operations").isNotEmpty();
        List<String> failures = new ArrayList<>();
        authorisedAnswers = 0;
        for (Operation operation : operations) {
            for (String value : HOSTILE_VALUES) {
                for (String parameter : operation.pathParameters()) {
                    check(failures, operation, path(operation, parameter, value), null, null);
                }
                for (String parameter : operation.queryParameters()) {
                    check(failures, operation, path(operation, null, null), parameter + "=" + value, null);
                }
                for (String header : operation.headerParameters()) {
                    check(failures, operation, path(operation, null, null), null, operation.body() ? "{}" : null, header + ": " + value);
                }
            }
            if (operation.body()) {
                for (String body : HOSTILE_BODIES) {
                    check(failures, operation, path(operation, null, null), null, body);
                }
            }
        }
        assertThat(failures).as("operations that did not answer hostile input with a 4xx problem").isEmpty();
        assertThat(authorisedAnswers).as("answers past authentication and authorisation (else the sweep tried nothing)").isPositive();
        assertNothingWritten();
    }

    private void check(List<String> failures, Operation operation, String path, String query, String body) throws IOException {
        check(failures, operation, path, query, body, null);
    }

    private void check(List<String> failures, Operation operation, String path, String query, String body, String header)
            throws IOException {
        String target = query == null ? path : path + "?" + query;
        RawAnswer answer = send(operation.method(), target, authorization(operation.path()), body, header);
        String what = operation.method() + " " + abbreviate(target) + (body == null ? "" : " body " + abbreviate(body))
                + (header == null ? "" : " header " + abbreviate(header));
        if (answer.status() != 401 && answer.status() != 403) {
            authorisedAnswers++;
        }
        if (answer.status() >= 500) {
            failures.add(what + " → " + answer.status() + " " + abbreviate(answer.body()));
        } else if (answer.status() >= 400 && (answer.contentType() == null || !answer.contentType().startsWith("application/problem+json"))) {
            failures.add(what + " → " + answer.status() + " without a problem (" + answer.contentType() + ")");
        }
    }

    public record RawAnswer(int status, String contentType, String body) {
    }

    /** One request on its own connection, the target written as given. */
    public static RawAnswer send(String method, String target, String authorization, String body) throws IOException {
        return send(method, target, authorization, body, null);
    }

    /** @param header one more header line ({@code Name: value}), or null */
    public static RawAnswer send(String method, String target, String authorization, String body, String header) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(RestAssured.port).append("\r\n")
                .append("Accept: application/json\r\nConnection: close\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        if (header != null) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = answer.indexOf("\r\n\r\n");
            String[] lines = (headEnd < 0 ? answer : answer.substring(0, headEnd)).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                return new RawAnswer(999, null, "no HTTP answer: " + abbreviate(answer));
            }
            String contentType = null;
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).strip();
                }
            }
            return new RawAnswer(Integer.parseInt(statusLine[1]), contentType, headEnd < 0 ? "" : answer.substring(headEnd + 4));
        }
    }

    /** The operation's path with every parameter a fresh uuid, but {@code hostileParameter}, which is {@code value}. */
    private static String path(Operation operation, String hostileParameter, String value) {
        String path = operation.path();
        for (String parameter : operation.pathParameters()) {
            path = path.replace("{" + parameter + "}", parameter.equals(hostileParameter) ? value : UUID.randomUUID().toString());
        }
        return path;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…(" + text.length() + ")";
    }

    /** The operations of the service's document ({@code /q/openapi}), streams and skipped ones left out. */
    protected List<Operation> operations() throws Exception {
        JsonNode document = JSON.readTree(given().accept("application/json").get("/q/openapi?format=json").asString());
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> entry = paths.next();
            String path = entry.getKey();
            Iterator<Map.Entry<String, JsonNode>> methods = entry.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> method = methods.next();
                String name = method.getKey().toLowerCase(Locale.ROOT);
                if (!METHODS.contains(name) || skipped(name.toUpperCase(Locale.ROOT), path) || streams(method.getValue())) {
                    continue;
                }
                Map<String, String> parameters = new LinkedHashMap<>();
                for (JsonNode parameter : entry.getValue().path("parameters")) {
                    parameters.put(parameter.path("name").asText(), parameter.path("in").asText());
                }
                for (JsonNode parameter : method.getValue().path("parameters")) {
                    parameters.put(parameter.path("name").asText(), parameter.path("in").asText());
                }
                List<String> inPath = new ArrayList<>();
                List<String> inQuery = new ArrayList<>();
                List<String> inHeaders = new ArrayList<>();
                parameters.forEach((parameter, in) -> {
                    if (in.equals("path")) {
                        inPath.add(parameter);
                    } else if (in.equals("query")) {
                        inQuery.add(parameter);
                    } else if (in.equals("header") && !OWN_HEADERS.contains(parameter.toLowerCase(Locale.ROOT))) {
                        inHeaders.add(parameter);
                    }
                });
                boolean body = method.getValue().path("requestBody").path("content").has("application/json");
                operations.add(new Operation(name.toUpperCase(Locale.ROOT), path, inPath, inQuery, inHeaders, body));
            }
        }
        return operations;
    }

    private static boolean streams(JsonNode operation) {
        for (JsonNode response : operation.path("responses")) {
            if (response.path("content").has("text/event-stream")) {
                return true;
            }
        }
        return false;
    }
}
