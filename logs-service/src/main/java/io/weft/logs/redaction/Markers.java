package io.weft.logs.redaction;

import java.util.Arrays;

/**
 * Where the {@code [redacted:…]} markers are in a text, so that a later detector never matches inside
 * one (nor inside a marker already in the input: redacting twice changes nothing).
 */
final class Markers {
    private static final String OPEN = "[redacted:";

    private Markers() {
    }

    /** Start and end of each marker, flattened; null when the text has none (the usual case). */
    static int[] find(String text) {
        int at = text.indexOf(OPEN);
        if (at < 0) {
            return null;
        }
        int[] ranges = new int[8];
        int size = 0;
        while (at >= 0) {
            int close = nameEnd(text, at + OPEN.length());
            if (close < 0) {
                at = text.indexOf(OPEN, at + 1);
                continue;
            }
            if (size == ranges.length) {
                ranges = Arrays.copyOf(ranges, size * 2);
            }
            ranges[size++] = at;
            ranges[size++] = close + 1;
            at = text.indexOf(OPEN, close + 1);
        }
        return Arrays.copyOf(ranges, size);
    }

    static boolean overlaps(int[] ranges, int start, int end) {
        if (ranges == null) {
            return false;
        }
        for (int i = 0; i < ranges.length; i += 2) {
            if (start < ranges[i + 1] && ranges[i] < end) {
                return true;
            }
        }
        return false;
    }

    /** True when the whole text is one marker. */
    static boolean isMarker(String text) {
        return text.startsWith(OPEN) && nameEnd(text, OPEN.length()) == text.length() - 1;
    }

    /** The index of the ']' closing a wire name that starts at {@code from}, or -1. */
    private static int nameEnd(String text, int from) {
        int i = from;
        while (i < text.length() && ((text.charAt(i) >= 'a' && text.charAt(i) <= 'z') || text.charAt(i) == '-')) {
            i++;
        }
        return i > from && i < text.length() && text.charAt(i) == ']' ? i : -1;
    }
}
