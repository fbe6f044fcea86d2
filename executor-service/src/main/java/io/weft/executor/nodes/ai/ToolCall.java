package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.SubNode;
import java.util.List;

/**
 * One tool call of an agent: the tool's node run on the agent's item with the model's input, and
 * what goes back to the model (the tool's output as JSON, cut to a size, or why it failed) and onto
 * the agent's steps. A stopped attempt (cancel, timeout) stops the agent instead.
 *
 * @param step     {@code {tool, node, input, output | error, durationMs}} for the node result
 * @param forModel the text the model gets as the tool's result
 */
record ToolCall(ObjectNode step, String forModel) {

    /** A call recorded by an earlier attempt ({@link #record}), marked as replayed. */
    static ToolCall replayed(JsonNode record) {
        ObjectNode step = record.path("step").deepCopy();
        return new ToolCall(step.put("replayed", true), record.path("forModel").asText());
    }

    JsonNode record() {
        ObjectNode record = WeftJson.mapper().createObjectNode();
        record.set("step", step);
        return record.put("forModel", forModel);
    }

    static ToolCall run(NodeRun run, int index, AgentTools tools, ToolExecutionRequest call, int maxOutputChars, String callKey) {
        ObjectNode step = WeftJson.mapper().createObjectNode().put("tool", call.name());
        long started = System.nanoTime();
        try {
            SubNode tool = tools.named(call.name()).orElseThrow(() -> new ToolRefused("there is no tool named " + call.name()));
            step.put("node", tool.node().id());
            JsonNode input = input(call.arguments());
            step.set("input", input);
            String output = output(tool, run.runTool(tool, index, input, callKey));
            String forModel = output.length() > maxOutputChars ? output.substring(0, maxOutputChars) + "… [cut at " + maxOutputChars
                    + " characters]" : output;
            if (output.length() > maxOutputChars) {
                step.put("output", forModel).put("outputCut", true);
            } else {
                step.set("output", WeftJson.mapper().readTree(output));
            }
            return new ToolCall(took(step, started), forModel);
        } catch (NodeFailure failure) {
            if (failure.kind() == ErrorKind.CANCELLED || Thread.currentThread().isInterrupted()) {
                throw failure;
            }
            return failed(step, started, failure.kind().name(), failure.getMessage());
        } catch (ToolRefused e) {
            return failed(step, started, ErrorKind.INVALID_PARAMETERS.name(), e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tool's output did not read back as JSON", e);
        }
    }

    private static JsonNode input(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return WeftJson.mapper().createObjectNode();
        }
        try {
            JsonNode input = WeftJson.mapper().readTree(arguments);
            if (!input.isObject()) {
                throw new ToolRefused("the tool's input must be a JSON object, not " + abbreviate(arguments));
            }
            return input;
        } catch (JsonProcessingException e) {
            throw new ToolRefused("the tool's input is not JSON: " + abbreviate(arguments));
        }
    }

    /** What the tool's node makes of its one output item, of several an array, of none an empty array. */
    private static String output(SubNode tool, NodeOutput output) {
        List<Item> items = output.port("main");
        if (items.size() == 1) {
            return tool.type().toolResult(items.get(0)).toString();
        }
        ArrayNode all = WeftJson.mapper().createArrayNode();
        items.forEach(item -> all.add(tool.type().toolResult(item)));
        return all.toString();
    }

    private static ToolCall failed(ObjectNode step, long started, String kind, String message) {
        step.putObject("error").put("kind", kind).put("message", message);
        return new ToolCall(took(step, started), "The tool failed (" + kind + "): " + message);
    }

    private static ObjectNode took(ObjectNode step, long started) {
        return step.put("durationMs", (System.nanoTime() - started) / 1_000_000);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** The model asked for something no tool can do: it is told so. */
    private static final class ToolRefused extends RuntimeException {
        ToolRefused(String message) {
            super(message);
        }
    }
}
