package io.weft.logs.redaction;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A detector made of anchors, a precompiled pattern and a check. The anchors are the places a match can
 * start, found by {@code indexOf} or a plain character loop; the pattern is only tried there (a pattern
 * tried at every index of every log line would cost far more than everything else together). The check
 * says what a pattern cannot: a checksum, a digit count. When the pattern has a group named
 * {@code mask} and it took part in the match, only that group is masked (the password of a URL, the
 * token after {@code Bearer}); otherwise the whole match is.
 */
final class RegexDetector implements Detector {
    static final String MASK_GROUP = "mask";

    /** The places in one text where a match may start: a superset of the real starts. */
    @FunctionalInterface
    interface Anchors {
        /** The first index at or after {@code from} where a match may start, or -1. */
        int next(int from);
    }

    /** Decides whether a candidate span is masked. */
    @FunctionalInterface
    interface Check {
        /** The end of the span to mask, {@code end} itself or a shorter end, or -1 to keep the text. */
        int accept(String text, int start, int end);

        Check ANY = (text, start, end) -> end;
    }

    private final RedactionCategory category;
    private final int minLength;
    private final int minDigits;
    private final Function<String, Anchors> anchors;
    private final Pattern pattern;
    private final boolean hasMaskGroup;
    private final Check check;

    RegexDetector(RedactionCategory category, int minLength, int minDigits, Function<String, Anchors> anchors,
                  Pattern pattern, Check check) {
        this.category = category;
        this.minLength = minLength;
        this.minDigits = minDigits;
        this.anchors = anchors;
        this.pattern = pattern;
        this.hasMaskGroup = pattern.namedGroups().containsKey(MASK_GROUP);
        this.check = check;
    }

    @Override
    public RedactionCategory category() {
        return category;
    }

    @Override
    public boolean worthTrying(String text, int digits) {
        return text.length() >= minLength && digits >= minDigits;
    }

    @Override
    public Spans find(String text) {
        Anchors starts = anchors.apply(text);
        return new Spans() {
            private Matcher matcher;
            private int from;
            private int start;
            private int end;

            @Override
            public boolean next() {
                for (int at = starts.next(from); at >= 0; at = starts.next(from)) {
                    from = at + 1;
                    if (matcher == null) {
                        // Transparent bounds: look-behinds see the text before the anchor.
                        matcher = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
                    }
                    matcher.region(at, text.length());
                    if (!matcher.lookingAt()) {
                        continue;
                    }
                    int spanStart = hasMaskGroup ? matcher.start(MASK_GROUP) : -1;
                    int spanEnd = hasMaskGroup ? matcher.end(MASK_GROUP) : -1;
                    if (spanStart < 0) {
                        spanStart = matcher.start();
                        spanEnd = matcher.end();
                    }
                    int accepted = check.accept(text, spanStart, spanEnd);
                    if (accepted <= spanStart) {
                        continue;
                    }
                    // When the check kept only a prefix, what it cut off may start another match.
                    from = accepted < spanEnd ? accepted : matcher.end();
                    start = spanStart;
                    end = accepted;
                    return true;
                }
                return false;
            }

            @Override
            public int start() {
                return start;
            }

            @Override
            public int end() {
                return end;
            }
        };
    }
}
