package io.weft.inference.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.contracts.json.WeftJson;
import io.weft.platform.problems.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchPartsTest {

    @Test
    void fusionRewardsAChunkBothRankingsHoldAndWeighsEachRanking() {
        List<RankFusion.Fused<String>> fused = RankFusion.fuse(3, new RankFusion.Ranking<>(List.of("a", "b", "c"), 1),
                new RankFusion.Ranking<>(List.of("c", "d"), 1));
        assertThat(fused).extracting(RankFusion.Fused::chunk).containsExactly("c", "a", "b");
        assertThat(fused.get(0).score()).isEqualTo(1.0 / 63 + 1.0 / 61);

        assertThat(RankFusion.fuse(2, new RankFusion.Ranking<>(List.of("a", "b"), 0.1), new RankFusion.Ranking<>(List.of("b", "a"), 2)))
                .extracting(RankFusion.Fused::chunk).containsExactly("b", "a");
        assertThat(RankFusion.fuse(5, new RankFusion.Ranking<>(List.of("a"), 0), new RankFusion.Ranking<>(List.<String>of(), 1))).isEmpty();
    }

    @Test
    void aQuestionBecomesItsMeaningfulWordsAndNothingOfQuerySyntax() {
        assertThat(TextQuery.words("How many vacation days do I get?")).containsExactly("many", "vacation", "days");
        assertThat(TextQuery.words("Where is it?")).containsExactly("where", "is", "it");
        assertThat(TextQuery.words("a & !b | 'c':* <-> (d); DROP TABLE x; -- Über 東京")).containsExactly("b", "c", "d", "drop", "table",
                "x", "über", "東京");
        assertThat(TextQuery.words("?!… --")).isEmpty();
        assertThat(TextQuery.words("w ".repeat(100) + "x")).containsExactly("w", "x");
    }

    @Test
    void aFilterIsContainmentPerValueWithEveryValueAParameter() throws Exception {
        MetadataFilter filter = MetadataFilter.of(WeftJson.mapper().readTree("{\"team\":\"hr\",\"year\":[2025,2026],\"public\":true}"));
        assertThat(filter.sql(6)).isEqualTo(" AND (metadata @> $6::text::jsonb) AND (metadata @> $7::text::jsonb OR metadata @> $8::text::jsonb)"
                + " AND (metadata @> $9::text::jsonb)");
        assertThat(filter.parameters()).containsExactly("{\"team\":\"hr\"}", "{\"year\":2025}", "{\"year\":2026}", "{\"public\":true}");
        assertThat(MetadataFilter.of(null).sql(1)).isEmpty();

        MetadataFilter hostile = MetadataFilter.of(WeftJson.mapper().readTree("{\"x') OR true; --\":\"'; DROP TABLE chunks; --\"}"));
        assertThat(hostile.sql(1)).isEqualTo(" AND (metadata @> $1::text::jsonb)");
        for (String bad : List.of("[1]", "{\"a\":{\"b\":1}}", "{\"a\":[]}", "{\"a\":[[1]]}", "{\"a\":null}")) {
            assertThatThrownBy(() -> MetadataFilter.of(WeftJson.mapper().readTree(bad))).isInstanceOf(ProblemException.class);
        }
    }
}
