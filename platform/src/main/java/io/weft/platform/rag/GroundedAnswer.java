package io.weft.platform.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An answer from numbered sources: the instructions and prompt that give a model the chunks a
 * search found as sources {@code [1]…[n]}, and the reading of its answer — which sources it cites,
 * which numbers it made up, or that it said the sources do not hold the answer. The executor's
 * Question and Answer Chain and inference-service's {@code ask} answer the same way.
 */
public final class GroundedAnswer {
    /** What the model is told to answer, alone, when the sources do not hold the answer. */
    public static final String NOT_FOUND = "NOT_FOUND";

    static final String INSTRUCTIONS = """
            Answer the question using only the numbered sources below, not what you know otherwise.
            After each statement, cite the sources it comes from by their numbers in square brackets, e.g. [1] or [2][3].
            If the sources do not contain the answer, reply with exactly\s""" + NOT_FOUND + " and nothing else.";

    private static final Pattern CITATION = Pattern.compile("\\[(\\d{1,3}(?:\\s*,\\s*\\d{1,3})*)]");

    private GroundedAnswer() {
    }

    /** The system message: the rules of a grounded answer, then the workflow's own instructions if any. */
    public static String instructions(String more) {
        return more == null || more.isBlank() ? INSTRUCTIONS : INSTRUCTIONS + "\n\n" + more.strip();
    }

    /**
     * The user message: each source numbered from 1 with its document's name and its text (the
     * passage around the chunk with parent–child chunking, else the chunk), then the question.
     */
    public static String prompt(List<JsonNode> sources, String question) {
        StringBuilder prompt = new StringBuilder("Sources:\n");
        for (int i = 0; i < sources.size(); i++) {
            JsonNode source = sources.get(i);
            prompt.append('\n').append('[').append(i + 1).append("] ").append(source.path("documentName").asText("untitled")).append('\n')
                    .append(text(source).strip()).append('\n');
        }
        return prompt.append("\nQuestion: ").append(question.strip()).toString();
    }

    /** The text a source gives the model. */
    public static String text(JsonNode source) {
        JsonNode passage = source.get("passage");
        return passage != null && passage.isTextual() && !passage.asText().isBlank() ? passage.asText() : source.path("content").asText("");
    }

    /**
     * What an answer says about its sources.
     *
     * @param found  false when the model said the sources do not hold the answer
     * @param cited  the sources cited, by number from 1, in the order first cited
     * @param madeUp numbers cited that no source has
     */
    public record Reading(boolean found, List<Integer> cited, List<Integer> madeUp) {
    }

    public static Reading read(String answer, int sources) {
        String text = answer == null ? "" : answer.strip();
        if (text.isEmpty() || text.replaceAll("[\\s.!\"'`*]", "").toUpperCase(Locale.ROOT).equals(NOT_FOUND)) {
            return new Reading(false, List.of(), List.of());
        }
        Set<Integer> cited = new LinkedHashSet<>();
        Set<Integer> madeUp = new LinkedHashSet<>();
        Matcher matcher = CITATION.matcher(text);
        while (matcher.find()) {
            for (String number : matcher.group(1).split(",")) {
                int n = Integer.parseInt(number.strip());
                (n >= 1 && n <= sources ? cited : madeUp).add(n);
            }
        }
        return new Reading(true, new ArrayList<>(cited), new ArrayList<>(madeUp));
    }

    /**
     * The hits (a search's {@code items}) whose similarity to the question reaches
     * {@code minSimilarity}: the sources. A text search has no similarity to compare; all of it counts.
     */
    public static List<JsonNode> sources(JsonNode hits, double minSimilarity) {
        List<JsonNode> sources = new ArrayList<>();
        for (JsonNode hit : hits) {
            JsonNode similarity = hit.get("similarity");
            if (similarity == null || !similarity.isNumber() || similarity.asDouble() >= minSimilarity) {
                sources.add(hit);
            }
        }
        return sources;
    }

    /** Source {@code number} as a citation: {@code {source, documentId, documentName, chunk, start, end, score, similarity, content}}. */
    public static ObjectNode citation(int number, JsonNode source) {
        ObjectNode citation = WeftJson.mapper().createObjectNode().put("source", number);
        for (String field : List.of("documentId", "documentName", "chunk", "start", "end", "score", "similarity", "content")) {
            JsonNode value = source.get(field);
            if (value != null) {
                citation.set(field, value);
            }
        }
        return citation;
    }
}
