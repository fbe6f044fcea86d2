package io.weft.inference.chunking;

import io.weft.inference.knowledge.KnowledgeBase;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a document's text into chunks that follow its structure: a chunk ends at a heading, else
 * at a paragraph, a line, a sentence or a word — the largest of these that keeps it within the size
 * — and only a run with no such break is cut anywhere. Consecutive chunks of one stretch share about
 * {@code overlap} characters of whole pieces. Every chunk knows where it lies in the text
 * ({@code [start, end)}), for citations; with {@code parentChild}, also the passage around it that a
 * search returns.
 */
public final class Chunker {
    /** Where a text may be broken, from the strongest break to the weakest: before a heading, between paragraphs, lines, sentences, words. */
    private static final List<Pattern> BREAKS = List.of(
            Pattern.compile("(?m)^(?=#{1,6}\\s)"),
            Pattern.compile("\\n[ \\t]*\\n"),
            Pattern.compile("\\n"),
            Pattern.compile("(?<=[.!?])\\s+|(?<=[。！？])\\s*"),
            Pattern.compile("\\s+"));

    /**
     * @param start       where the chunk begins in the text
     * @param end         where it ends (exclusive); {@code text.substring(start, end)} is the chunk
     * @param parentStart with {@code parentChild}: where the passage around it begins; else equal to {@code start}
     * @param parentEnd   with {@code parentChild}: where that passage ends; else equal to {@code end}
     */
    public record Chunk(int index, int start, int end, int parentStart, int parentEnd) {
        public String text(String source) {
            return source.substring(start, end);
        }
    }

    private Chunker() {
    }

    public static List<Chunk> split(String text, KnowledgeBase.Chunking settings) {
        List<Chunk> chunks = new ArrayList<>();
        if ("parentChild".equals(settings.mode())) {
            for (int[] parent : merge(text, pieces(text, 0, text.length(), settings.parentSize(), 0), settings.parentSize(), 0)) {
                for (int[] child : merge(text, pieces(text, parent[0], parent[1], settings.size(), 0), settings.size(), settings.overlap())) {
                    chunks.add(new Chunk(chunks.size(), child[0], child[1], parent[0], parent[1]));
                }
            }
            return chunks;
        }
        for (int[] span : merge(text, pieces(text, 0, text.length(), settings.size(), 0), settings.size(), settings.overlap())) {
            chunks.add(new Chunk(chunks.size(), span[0], span[1], span[0], span[1]));
        }
        return chunks;
    }

    /** The stretch {@code [from, to)} in pieces no longer than {@code size}, broken at the strongest break that gets them there. */
    private static List<int[]> pieces(String text, int from, int to, int size, int level) {
        List<int[]> pieces = new ArrayList<>();
        if (to - from <= size) {
            pieces.add(new int[] {from, to});
            return pieces;
        }
        if (level >= BREAKS.size()) {
            int at = from;
            while (at < to) {
                int end = Math.min(to, at + size);
                if (end < to && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--; // never between the two halves of a character
                }
                pieces.add(new int[] {at, end});
                at = end;
            }
            return pieces;
        }
        Matcher breaks = BREAKS.get(level).matcher(text).region(from, to);
        int start = from;
        while (breaks.find()) {
            if (breaks.end() > start && breaks.start() > start) {
                pieces.addAll(pieces(text, start, breaks.start(), size, level + 1));
            }
            start = Math.max(start, breaks.start());
        }
        pieces.addAll(pieces(text, start, to, size, level + 1));
        return pieces;
    }

    /**
     * Adjacent pieces joined into chunks of at most {@code size}, trimmed of surrounding whitespace;
     * a chunk after the first begins with the last whole pieces of the one before that fit in
     * {@code overlap}. A heading always begins a chunk.
     */
    private static List<int[]> merge(String text, List<int[]> pieces, int size, int overlap) {
        List<int[]> chunks = new ArrayList<>();
        int first = 0;
        int fresh = 0; // the first piece no chunk holds yet: every chunk takes at least one
        while (first < pieces.size()) {
            while (first < fresh && pieces.get(fresh)[1] - pieces.get(first)[0] > size) {
                first++; // less overlap, so that the fresh piece fits
            }
            int last = Math.max(first, fresh);
            while (last + 1 < pieces.size() && pieces.get(last + 1)[1] - pieces.get(first)[0] <= size
                    && !heading(text, pieces.get(last + 1)[0])) {
                last++;
            }
            int[] span = trimmed(text, pieces.get(first)[0], pieces.get(last)[1]);
            if (span[1] > span[0]) {
                chunks.add(span);
            }
            fresh = last + 1;
            int next = fresh;
            if (fresh < pieces.size() && !heading(text, pieces.get(fresh)[0])) {
                while (next - 1 > first && pieces.get(last)[1] - pieces.get(next - 1)[0] <= overlap) {
                    next--;
                }
            }
            first = next;
        }
        return chunks;
    }

    private static boolean heading(String text, int at) {
        return at < text.length() && text.charAt(at) == '#' && (at == 0 || text.charAt(at - 1) == '\n');
    }

    private static int[] trimmed(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return new int[] {start, end};
    }
}
