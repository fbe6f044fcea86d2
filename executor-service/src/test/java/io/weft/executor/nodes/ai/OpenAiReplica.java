package io.weft.executor.nodes.ai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.weft.contracts.json.WeftJson;

/**
 * A WireMock replica of OpenAI's chat completions API on loopback, as the agent tests drive it with
 * the real langchain4j client: answers that call a tool or give text, served in turn.
 */
public final class OpenAiReplica {
    private OpenAiReplica() {
    }

    public static WireMockServer start() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return server;
    }

    /** An answer that calls the tool {@code name} with {@code arguments} (JSON text). */
    public static String toolCall(String id, String name, String arguments, int promptTokens) {
        return "{\"id\":\"c-" + id + "\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\","
                + "\"function\":{\"name\":\"" + name + "\",\"arguments\":" + WeftJson.mapper().valueToTree(arguments) + "}}]},"
                + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":10,"
                + "\"total_tokens\":" + (promptTokens + 10) + "}}";
    }

    /** A final answer. */
    public static String answer(String content) {
        return "{\"id\":\"c-end\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":" + WeftJson.mapper().valueToTree(content) + "},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":90,\"completion_tokens\":12,\"total_tokens\":102}}";
    }

    /** The model's answers in turn: the first call gets the first, and so on; the last repeats. */
    public static void says(WireMockServer server, String... answers) {
        for (int i = 0; i < answers.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "call-" + i;
            server.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("agent").whenScenarioStateIs(state)
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(answers[i]))
                    .willSetStateTo(i + 1 < answers.length ? "call-" + (i + 1) : state));
        }
    }

    /**
     * A streamed final answer as OpenAI sends it with {@code "stream": true}: server-sent events of
     * {@code chat.completion.chunk}s, one per piece of text, the finish reason, the usage chunk
     * ({@code stream_options.include_usage}) and {@code [DONE]}.
     */
    public static String streamedAnswer(String... pieces) {
        StringBuilder events = new StringBuilder(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String piece : pieces) {
            events.append(chunk("{\"content\":" + WeftJson.mapper().valueToTree(piece) + "}", null));
        }
        return events.append(chunk("{}", "stop")).append(usageChunk(90, pieces.length)).append("data: [DONE]\n\n").toString();
    }

    /** A streamed answer that calls the tool {@code name}, its arguments (JSON text) arriving in pieces. */
    public static String streamedToolCall(String id, String name, String... argumentPieces) {
        StringBuilder events = new StringBuilder(chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\""
                + id + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":\"\"}}]}", null));
        for (String piece : argumentPieces) {
            events.append(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + WeftJson.mapper().valueToTree(piece)
                    + "}}]}", null));
        }
        return events.append(chunk("{}", "tool_calls")).append(usageChunk(40, 8)).append("data: [DONE]\n\n").toString();
    }

    private static String chunk(String delta, String finishReason) {
        return "data: {\"id\":\"c-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{"
                + "\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"")
                + "}]}\n\n";
    }

    private static String usageChunk(int promptTokens, int completionTokens) {
        return "data: {\"id\":\"c-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens + ",\"total_tokens\":"
                + (promptTokens + completionTokens) + "}}\n\n";
    }
}
