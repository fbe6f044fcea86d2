package io.weft.platform.rag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroundedAnswerTest {

    private static JsonNode source(String json) throws Exception {
        return WeftJson.mapper().readTree(json);
    }

    @Test
    void sourcesAreNumberedWithTheirDocumentAndThePassageWhenThereIsOne() throws Exception {
        String prompt = GroundedAnswer.prompt(List.of(
                source("{\"documentName\":\"a.md\",\"content\":\"the chunk\",\"passage\":\"before. the chunk. after.\"}"),
                source("{\"documentName\":\"b.pdf\",\"content\":\"  only a chunk \\n\",\"passage\":null}")), " Why? ");

        assertThat(prompt).isEqualTo("Sources:\n\n[1] a.md\nbefore. the chunk. after.\n\n[2] b.pdf\nonly a chunk\n\nQuestion: Why?");
    }

    @Test
    void theWorkflowsInstructionsComeAfterTheRules() {
        assertThat(GroundedAnswer.instructions(null)).endsWith("reply with exactly NOT_FOUND and nothing else.");
        assertThat(GroundedAnswer.instructions(" Answer in French. ")).startsWith(GroundedAnswer.INSTRUCTIONS)
                .endsWith("\n\nAnswer in French.");
    }

    @Test
    void citationsAreReadInTheOrderFirstCitedAndMadeUpNumbersApart() {
        GroundedAnswer.Reading reading = GroundedAnswer.read("Twenty-five days [2], booked online [1, 2][9]. See [2]. [x] [0]", 3);

        assertThat(reading.found()).isTrue();
        assertThat(reading.cited()).containsExactly(2, 1);
        assertThat(reading.madeUp()).containsExactly(9, 0);
    }

    @Test
    void notFoundIsTheMarkerAloneOrNothingAtAll() {
        assertThat(GroundedAnswer.read("NOT_FOUND", 2).found()).isFalse();
        assertThat(GroundedAnswer.read(" \"not_found.\" ", 2).found()).isFalse();
        assertThat(GroundedAnswer.read("", 2).found()).isFalse();
        assertThat(GroundedAnswer.read(null, 2).found()).isFalse();
        assertThat(GroundedAnswer.read("The sources say NOT_FOUND is a marker [1].", 2).found()).isTrue();
        assertThat(GroundedAnswer.read("Nothing is cited here.", 2).cited()).isEmpty();
    }

    @Test
    void sourcesAreTheHitsCloseEnoughAndTextHitsAlwaysCount() throws Exception {
        JsonNode hits = source("[{\"content\":\"near\",\"similarity\":0.6},{\"content\":\"far\",\"similarity\":0.1},"
                + "{\"content\":\"by words\",\"similarity\":null},{\"content\":\"edge\",\"similarity\":0.3}]");

        assertThat(GroundedAnswer.sources(hits, 0.3)).extracting(hit -> hit.path("content").asText()).containsExactly("near", "by words", "edge");
    }

    @Test
    void aCitationKeepsWhereTheSourceIsAndNothingElse() throws Exception {
        JsonNode hit = source("{\"documentId\":\"d-1\",\"documentName\":\"a.md\",\"chunk\":2,\"start\":10,\"end\":20,\"score\":0.03,"
                + "\"similarity\":0.7,\"content\":\"text\",\"passage\":\"long passage\",\"metadata\":{\"team\":\"hr\"}}");

        assertThat(GroundedAnswer.citation(2, hit).toString()).isEqualTo("{\"source\":2,\"documentId\":\"d-1\",\"documentName\":\"a.md\","
                + "\"chunk\":2,\"start\":10,\"end\":20,\"score\":0.03,\"similarity\":0.7,\"content\":\"text\"}");
    }
}
