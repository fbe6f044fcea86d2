package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.DescribedNodeType;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.platform.net.OutboundAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Calls an HTTP API once per input item. Each item becomes {@code {statusCode, headers, body}}; with
 * {@code responseFormat: binary} the body is stored as a payload instead, named in the item's
 * {@code binary} (under {@code binaryProperty}, default {@code data}), and the item says its
 * {@code mimeType} and {@code sizeBytes}. A {@code binary} request body sends such a payload.
 * Every request carries {@code Idempotency-Key: <tenant>:<execution>:<node>:<attempt>:<item>} so
 * that a receiver can recognise a repeated attempt. Internal addresses are refused
 * ({@link OutboundAddresses}); redirects are followed by hand so that each hop is checked.
 *
 * <p>With {@code authentication: credential} the node's credential (basic, header, bearer or OAuth2)
 * is resolved once per node run and sent with each request, but never to another origin than the
 * first: a redirect elsewhere goes without it.
 */
@ApplicationScoped
public class HttpRequestNode extends DescribedNodeType {
    private final OutboundHttp http;

    @Inject
    public HttpRequestNode(@ConfigProperty(name = "weft.executor.http.allowed-networks") Optional<List<String>> allowedNetworks) {
        this(new OutboundAddresses(allowedNetworks.orElse(List.of())));
    }

    public HttpRequestNode(OutboundAddresses addresses) {
        super("core.httpRequest", 1);
        this.http = new OutboundHttp(addresses);
    }

    public HttpRequestNode() {
        this(OutboundAddresses.publicOnly());
    }

    @Override
    public boolean blocking() {
        return true;
    }

    /** An agent's model gets the response's body (the status and headers are noise to it); a binary answer as its type and size. */
    @Override
    public JsonNode toolResult(Item item) {
        return item.json().has("body") ? item.json().get("body") : item.json();
    }

    @Override
    public NodeOutput run(NodeRun run) {
        List<Item> out = new ArrayList<>(run.items().size());
        Map<String, String> authentication = null;
        for (int i = 0; i < run.items().size(); i++) {
            JsonNode parameters = run.parameters(i);
            if (authentication == null) {
                authentication = "credential".equals(parameters.path("authentication").asText("none"))
                        ? CredentialHeaders.of(run.credential(CredentialHeaders.TYPES).orElseThrow(() -> new NodeFailure(
                                ErrorKind.INVALID_PARAMETERS, false, "authentication is credential, but the node names no credential of "
                                + String.join(", ", CredentialHeaders.TYPES))))
                        : Map.of();
            }
            out.add(call(run, run.items().get(i), parameters, run.idempotencyKey() + ":" + i, authentication));
        }
        return NodeOutput.main(out);
    }

    private Item call(NodeRun run, Item input, JsonNode parameters, String idempotencyKey, Map<String, String> authentication) {
        String method = parameters.path("method").asText("GET");
        URI uri = uri(parameters);
        URI origin = uri;
        int redirectsLeft = parameters.path("followRedirects").asBoolean(true) ? parameters.path("maxRedirects").asInt(5) : 0;
        boolean withBody = true;
        while (true) {
            http.allowed(uri.getHost());
            Map<String, String> credentialHeaders = CredentialHeaders.sameOrigin(origin, uri) ? authentication : Map.of();
            HttpResponse<InputStream> response = http.send(request(run, input, parameters, uri, method, withBody, idempotencyKey,
                    credentialHeaders));
            String location = response.headers().firstValue("location").orElse(null);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && location != null && redirectsLeft-- > 0) {
                OutboundHttp.close(response);
                uri = redirect(uri, location);
                if (status == 303 || ((status == 301 || status == 302) && !method.equals("GET") && !method.equals("HEAD"))) {
                    method = "GET";
                    withBody = false;
                }
                continue;
            }
            return answer(run, input, parameters, response);
        }
    }

    private static URI uri(JsonNode parameters) {
        String url = parameters.path("url").asText("");
        try {
            URI uri = new URI(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "url must be http or https, not " + uri.getScheme());
            }
            JsonNode query = parameters.path("query");
            if (!query.isObject() || query.isEmpty()) {
                return uri;
            }
            StringJoiner added = new StringJoiner("&");
            for (Iterator<Map.Entry<String, JsonNode>> it = query.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> pair = it.next();
                added.add(URLEncoder.encode(pair.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(pair.getValue().asText(), StandardCharsets.UTF_8));
            }
            String existing = uri.getRawQuery();
            return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + "?" + (existing == null ? "" : existing + "&") + added);
        } catch (URISyntaxException e) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "url is not a valid URL: " + e.getMessage());
        }
    }

    private static URI redirect(URI from, String location) {
        try {
            URI next = from.resolve(new URI(location));
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "a redirect leads to a non-HTTP address");
            }
            return next;
        } catch (URISyntaxException e) {
            throw new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, false, "the server redirected to an invalid address");
        }
    }

    private static HttpRequest request(NodeRun run, Item input, JsonNode parameters, URI uri, String method, boolean withBody,
                                       String idempotencyKey, Map<String, String> credentialHeaders) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(parameters.path("timeoutMs").asLong(30_000)))
                .header("Idempotency-Key", idempotencyKey);
        boolean contentTypeSet = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = parameters.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            contentTypeSet |= header.getKey().equalsIgnoreCase("content-type");
            try {
                builder.header(header.getKey(), header.getValue().asText());
            } catch (IllegalArgumentException e) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "header " + header.getKey() + " cannot be set: " + e.getMessage());
            }
        }
        credentialHeaders.forEach((name, value) -> {
            try {
                builder.setHeader(name, value);
            } catch (IllegalArgumentException e) {
                throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the credential's header " + name + " cannot be sent (invalid characters)");
            }
        });
        JsonNode body = parameters.path("body");
        String type = withBody ? body.path("type").asText("none") : "none";
        HttpRequest.BodyPublisher publisher = switch (type) {
            case "json" -> {
                if (!contentTypeSet) {
                    builder.header("Content-Type", "application/json");
                }
                yield HttpRequest.BodyPublishers.ofString(body.path("json").toString());
            }
            case "form" -> {
                if (!contentTypeSet) {
                    builder.header("Content-Type", "application/x-www-form-urlencoded");
                }
                StringJoiner form = new StringJoiner("&");
                body.path("form").fields().forEachRemaining(pair -> form.add(URLEncoder.encode(pair.getKey(), StandardCharsets.UTF_8)
                        + "=" + URLEncoder.encode(pair.getValue().asText(), StandardCharsets.UTF_8)));
                yield HttpRequest.BodyPublishers.ofString(form.toString());
            }
            case "raw" -> {
                if (!contentTypeSet) {
                    builder.header("Content-Type", body.path("contentType").asText("text/plain; charset=utf-8"));
                }
                yield HttpRequest.BodyPublishers.ofString(body.path("raw").asText(""));
            }
            case "binary" -> {
                if (!contentTypeSet) {
                    builder.header("Content-Type", body.path("contentType").asText("application/octet-stream"));
                }
                yield HttpRequest.BodyPublishers.ofByteArray(binary(run, input, body.path("binaryProperty").asText("data")));
            }
            default -> HttpRequest.BodyPublishers.noBody();
        };
        return builder.method(method, publisher).build();
    }

    private static byte[] binary(NodeRun run, Item input, String property) {
        String id = input.binary().get(property);
        if (id == null) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "the item has no binary \"" + property + "\" to send"
                    + (input.binary().isEmpty() ? "" : "; it has " + input.binary().keySet()));
        }
        return run.payload(id).orElseThrow(() -> new NodeFailure(ErrorKind.INTERNAL, false,
                "the item's binary \"" + property + "\" names a payload that is not stored"));
    }

    private static Item answer(NodeRun run, Item input, JsonNode parameters, HttpResponse<InputStream> response) {
        byte[] bytes = OutboundHttp.read(response);
        int status = response.statusCode();
        String contentType = response.headers().firstValue("content-type").orElse("");
        String format = parameters.path("responseFormat").asText("auto");
        ObjectNode item = WeftJson.mapper().createObjectNode().put("statusCode", status);
        ObjectNode headers = item.putObject("headers");
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(", ", values)));
        if (status >= 400 && parameters.path("failOnHttpError").asBoolean(true)) {
            throw OutboundHttp.statusFailure(response, response.request().method() + " " + response.uri().getHost()
                    + response.uri().getRawPath() + " answered " + status, run.clock().instant());
        }
        Map<String, String> binaries = input.binary();
        switch (format) {
            case "json" -> item.set("body", json(text(bytes), true));
            case "text" -> item.put("body", text(bytes));
            case "binary" -> {
                binaries = new java.util.LinkedHashMap<>(binaries);
                binaries.put(parameters.path("binaryProperty").asText("data"), run.storePayload(bytes));
                item.put("mimeType", contentType.isEmpty() ? "application/octet-stream" : contentType);
                item.put("sizeBytes", bytes.length);
            }
            default -> {
                String text = text(bytes);
                if (contentType.contains("json")) {
                    item.set("body", json(text, false));
                } else {
                    item.put("body", text);
                }
            }
        }
        return new Item(item, binaries);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text, boolean required) {
        try {
            return text.isEmpty() ? WeftJson.mapper().nullNode() : WeftJson.mapper().readTree(text);
        } catch (IOException e) {
            if (required) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "the response is not JSON");
            }
            return WeftJson.mapper().getNodeFactory().textNode(text);
        }
    }
}
