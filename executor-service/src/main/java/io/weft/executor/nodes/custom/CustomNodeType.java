package io.weft.executor.nodes.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.expressions.Expressions;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.Redaction;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.nodes.ParameterDefaults;
import io.weft.executor.outbound.OutboundHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One version of a tenant's own node type: its descriptor, and JavaScript that defines
 * {@code execute(items, params, ctx)}, run in the sandbox with the Code node's limits. {@code params}
 * are the node's parameters (schema defaults filled in, expressions resolved for the first item;
 * {@code ctx.params(i)} for item i), {@code ctx.credential(type)} the node's credential of a type the
 * descriptor accepts, {@code ctx.http(request)} an outbound call ({@link CustomNodeHttp}). Whatever
 * the code prints or returns, the credentials' secret values are replaced by {@value Redaction#MARK}.
 */
public final class CustomNodeType implements NodeType {
    private final NodeTypeDescriptor descriptor;
    private final String code;
    private final ParameterDefaults defaults;
    private final OutboundHttp http;

    public CustomNodeType(NodeTypeDescriptor descriptor, String code, OutboundHttp http) {
        this.descriptor = descriptor;
        this.code = code;
        this.defaults = new ParameterDefaults(descriptor.parametersSchema());
        this.http = http;
    }

    @Override
    public NodeTypeDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        Map<String, JsonNode> credentials = new LinkedHashMap<>();
        for (String type : descriptor.credentialTypes()) {
            run.credential(List.of(type)).map(Credentials.Resolved::data).ifPresent(data -> credentials.put(type, data));
        }
        Redaction secrets = Redaction.of(List.copyOf(credentials.values()));
        run.redactInConsole(secrets);
        ObjectNode input = WeftJson.mapper().createObjectNode();
        input.set("params", parameters(run));
        input.set("credentials", WeftJson.mapper().valueToTree(credentials));
        input.set("credentialTypes", WeftJson.mapper().valueToTree(descriptor.credentialTypes()));
        ArrayNode ports = input.putArray("ports");
        descriptor.outputs().stream().map(PortDescriptor::name).forEach(ports::add);
        input.putObject("node").put("name", run.node().name()).put("type", descriptor.type()).put("version", descriptor.version());
        Map<String, List<ObjectNode>> produced;
        try {
            produced = run.scripts().custom(code, input.toString(), new CustomNodeHttp(http, run.clock()));
        } catch (NodeFailure e) {
            NodeFailure failure = new NodeFailure(e.kind(), e.retryable(), "node \"" + run.node().name() + "\": "
                    + secrets.apply(e.getMessage()));
            e.retryAfter().ifPresent(failure::withRetryAfter);
            throw failure;
        }
        Map<String, List<Item>> out = new LinkedHashMap<>();
        produced.forEach((port, items) -> out.put(port, items.stream().map(json -> Item.of((ObjectNode) secrets.apply(json))).toList()));
        return new NodeOutput(out);
    }

    /** The parameters for the first item, or for every item when an expression may make them differ. */
    private JsonNode parameters(NodeRun run) {
        if (!holdsExpression(run.node().parameters()) || run.items().size() <= 1) {
            return defaults.fill(run.parameters());
        }
        ArrayNode each = WeftJson.mapper().createArrayNode();
        for (int i = 0; i < run.items().size(); i++) {
            each.add(defaults.fill(run.parameters(i)));
        }
        return each;
    }

    private static boolean holdsExpression(JsonNode parameters) {
        List<JsonNode> pending = new ArrayList<>(List.of(parameters));
        while (!pending.isEmpty()) {
            JsonNode value = pending.remove(pending.size() - 1);
            if (value.isTextual() && Expressions.mayHoldExpression(value.asText())) {
                return true;
            }
            value.elements().forEachRemaining(pending::add);
        }
        return false;
    }
}
