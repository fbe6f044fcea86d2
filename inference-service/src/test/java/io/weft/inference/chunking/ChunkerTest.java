package io.weft.inference.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.inference.knowledge.KnowledgeBase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structure-aware chunks with their offsets (issue 21): headings, paragraphs, sentences, then anywhere. */
class ChunkerTest {
    private static final String HANDBOOK = """
            # Working from home

            Employees may work from home up to three days a week. Requests are approved by the team lead.

            The office stays open for those who prefer it. Desks are booked a day ahead.

            # Travel

            Travel expenses are reimbursed within thirty days. Receipts must be attached to every claim, \
            and claims older than ninety days are refused. Flights above four hours may be booked in premium economy.

            ## Per diem

            The daily allowance covers meals and local transport.
            """;

    private static List<Chunker.Chunk> split(String text, String mode, int size, int overlap, Integer parentSize) {
        return Chunker.split(text, new KnowledgeBase.Chunking(mode, size, overlap, parentSize));
    }

    @Test
    void chunksFollowHeadingsAndParagraphsStayWithinTheSizeAndPointIntoTheText() {
        List<Chunker.Chunk> chunks = split(HANDBOOK, "recursive", 160, 0, null);

        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.end() - chunk.start()).isLessThanOrEqualTo(160);
            String text = chunk.text(HANDBOOK);
            assertThat(text).isEqualTo(HANDBOOK.substring(chunk.start(), chunk.end())).isEqualTo(text.strip()).isNotEmpty();
        });
        assertThat(chunks).extracting(chunk -> chunk.text(HANDBOOK)).anySatisfy(text -> assertThat(text).startsWith("# Travel"))
                .anySatisfy(text -> assertThat(text).startsWith("## Per diem"))
                .noneSatisfy(text -> assertThat(text).contains("premium economy").contains("Per diem"));
        assertThat(chunks.get(0).text(HANDBOOK)).startsWith("# Working from home").doesNotContain("Travel");
        assertThat(chunks).extracting(Chunker.Chunk::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, chunks.size()).boxed().toList());
        assertThat(chunks).extracting(Chunker.Chunk::start).isSorted();
    }

    @Test
    void aLongParagraphBreaksAtSentencesAndConsecutiveChunksOverlap() {
        String paragraph = String.join(" ", java.util.Collections.nCopies(30, "Claims need receipts."));
        List<Chunker.Chunk> chunks = split(paragraph, "recursive", 100, 30, null);

        assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(chunk -> {
            assertThat(chunk.end() - chunk.start()).isLessThanOrEqualTo(100);
            assertThat(chunk.text(paragraph)).startsWith("Claims").endsWith("receipts.");
        });
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).start()).as("chunk %d repeats the end of the one before", i).isLessThan(chunks.get(i - 1).end());
            assertThat(chunks.get(i).start()).isGreaterThan(chunks.get(i - 1).start());
        }
        assertThat(chunks.getLast().end()).isEqualTo(paragraph.length());
    }

    @Test
    void textWithoutBreaksIsCutAnywhereAndNeverInsideACharacter() {
        String word = "x".repeat(250);
        assertThat(split(word, "recursive", 100, 0, null)).extracting(chunk -> chunk.end() - chunk.start()).containsExactly(100, 100, 50);
        String emoji = "😀".repeat(120); // 240 chars, pairs of surrogates
        List<Chunker.Chunk> chunks = split(emoji, "recursive", 101, 0, null);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text(emoji).codePoints().allMatch(cp -> cp == 0x1F600)).isTrue());
        assertThat(String.join("", chunks.stream().map(chunk -> chunk.text(emoji)).toList())).isEqualTo(emoji);
        String chinese = "员工每周最多可以在家工作三天。申请由团队负责人批准。".repeat(10);
        assertThat(split(chinese, "recursive", 100, 0, null)).allSatisfy(chunk -> assertThat(chunk.text(chinese)).endsWith("。"));
    }

    @Test
    void childrenLieInsideTheirParentPassage() {
        List<Chunker.Chunk> chunks = split(HANDBOOK, "parentChild", 100, 20, 300);

        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.start()).isGreaterThanOrEqualTo(chunk.parentStart());
            assertThat(chunk.end()).isLessThanOrEqualTo(chunk.parentEnd());
            assertThat(chunk.end() - chunk.start()).isLessThanOrEqualTo(100);
            assertThat(chunk.parentEnd() - chunk.parentStart()).isLessThanOrEqualTo(300);
        });
        assertThat(chunks.stream().map(chunk -> chunk.parentStart()).distinct().count()).as("several passages").isGreaterThan(1);
    }

    @Test
    void emptyAndBlankTextsHaveNoChunks() {
        assertThat(split("", "recursive", 100, 0, null)).isEmpty();
        assertThat(split(" \n\n \t", "recursive", 100, 0, null)).isEmpty();
    }
}
