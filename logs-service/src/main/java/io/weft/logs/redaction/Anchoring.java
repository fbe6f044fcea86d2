package io.weft.logs.redaction;

import java.util.Arrays;

/**
 * Where each pattern may start, found without a regular expression. Each search runs forward from where
 * the last one stopped, so a whole text is scanned about once per detector however many anchors it has.
 */
final class Anchoring {

    private Anchoring() {
    }

    /** The first of several literals; each literal's next place is remembered, so each is searched for once. */
    static RegexDetector.Anchors firstOf(String text, String... literals) {
        return firstOf(literals, (literal, from) -> text.indexOf(literal, from));
    }

    /** {@link #firstOf} ignoring ASCII case, for lower-case literals. */
    static RegexDetector.Anchors firstOfIgnoreCase(String text, String... literals) {
        return firstOf(literals, (literal, from) -> indexOfIgnoreCase(text, literal, from));
    }

    private interface Search {
        int next(String literal, int from);
    }

    private static RegexDetector.Anchors firstOf(String[] literals, Search search) {
        int[] next = new int[literals.length];
        Arrays.fill(next, -2); // not searched yet
        return from -> {
            int best = -1;
            for (int i = 0; i < next.length; i++) {
                if (next[i] != -1 && next[i] < from) {
                    next[i] = search.next(literals[i], from);
                }
                if (next[i] >= 0 && (best < 0 || next[i] < best)) {
                    best = next[i];
                }
            }
            return best;
        };
    }

    /**
     * {@code indexOf} ignoring ASCII case, for a lower-case needle, without copying the text: the two
     * cases of the first letter are found by {@code indexOf}, which is much faster than a character loop.
     */
    static int indexOfIgnoreCase(String text, String lowerNeedle, int from) {
        char lower = lowerNeedle.charAt(0);
        char upper = Character.toUpperCase(lower);
        int last = text.length() - lowerNeedle.length();
        int nextLower = text.indexOf(lower, from);
        int nextUpper = text.indexOf(upper, from);
        while (nextLower >= 0 || nextUpper >= 0) {
            int at = nextLower < 0 ? nextUpper : nextUpper < 0 ? nextLower : Math.min(nextLower, nextUpper);
            if (at > last) {
                return -1;
            }
            if (text.regionMatches(true, at + 1, lowerNeedle, 1, lowerNeedle.length() - 1)) {
                return at;
            }
            if (at == nextLower) {
                nextLower = text.indexOf(lower, at + 1);
            } else {
                nextUpper = text.indexOf(upper, at + 1);
            }
        }
        return -1;
    }

    /**
     * API key prefixes. All but {@code AIza} hold a '-' or '_' a few characters in, and those two
     * characters are rarer in text than the letters the prefixes start with, so they are what is searched.
     */
    static RegexDetector.Anchors apiKey(String text) {
        int[] google = {-2};
        return from -> {
            if (google[0] != -1 && google[0] < from) {
                google[0] = text.indexOf("AIza", from);
            }
            int limit = google[0] < 0 ? text.length() : google[0];
            int dash = text.indexOf('-', from);
            int underscore = text.indexOf('_', from);
            while (dash >= 0 || underscore >= 0) {
                int separator = dash < 0 ? underscore : underscore < 0 ? dash : Math.min(dash, underscore);
                if (separator - 6 >= limit) {
                    break;
                }
                int start = keyStart(text, separator, from);
                if (start >= 0) {
                    return Math.min(start, limit);
                }
                if (separator == dash) {
                    dash = text.indexOf('-', dash + 1);
                } else {
                    underscore = text.indexOf('_', underscore + 1);
                }
            }
            return google[0];
        };
    }

    /** Where a key prefix ending in the separator at {@code at} starts, if one does at or after {@code from}. */
    private static int keyStart(String text, int at, int from) {
        if (text.charAt(at) == '-') {
            if (at - 2 >= from && text.startsWith("sk", at - 2)) {
                return at - 2;
            }
            return at - 4 >= from && text.startsWith("xox", at - 4) ? at - 4 : -1;
        }
        if (at - 2 >= from && (text.startsWith("sk", at - 2) || text.startsWith("rk", at - 2))) {
            return at - 2;
        }
        if (at - 3 >= from && (text.startsWith("gh", at - 3) || text.startsWith("wft", at - 3)
                || text.startsWith("wrt", at - 3))) {
            return at - 3;
        }
        return at - 6 >= from && text.startsWith("github_pat_", at - 6) ? at - 6 : -1;
    }

    /** A card number starts with 2 to 6 and three more digits, at the start of a token. */
    static int cardNumber(String text, int from) {
        for (int i = from, last = text.length() - 13; i <= last; i++) {
            char c = text.charAt(i);
            if (c >= '2' && c <= '6' && digits(text, i + 1, 3) && (i == 0 || !joins(text.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** An IBAN starts with two capital letters and two digits, at the start of a token. */
    static int iban(String text, int from) {
        for (int i = from, last = text.length() - 15; i <= last; i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z' && isUpper(text.charAt(i + 1)) && digits(text, i + 2, 2)
                    && (i == 0 || !isAlphanumeric(text.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** A phone number starts with {@code +} and a digit, with {@code (ddd)} or with {@code ddd-ddd} / {@code ddd.ddd}. */
    static int phone(String text, int from) {
        int length = text.length();
        for (int i = from, last = length - 9; i <= last; i++) {
            char c = text.charAt(i);
            if (c == '+') {
                char next = text.charAt(i + 1);
                char before = i == 0 ? ' ' : text.charAt(i - 1);
                if (next >= '1' && next <= '9' && !isAlphanumeric(before) && before != '_' && before != '+') {
                    return i;
                }
            } else if (c == '(') {
                if (digits(text, i + 1, 3) && text.charAt(i + 4) == ')') {
                    return i;
                }
            } else if (c >= '2' && c <= '9' && i + 7 < length && digits(text, i + 1, 2)
                    && (text.charAt(i + 3) == '-' || text.charAt(i + 3) == '.') && digits(text, i + 4, 3)
                    && (i == 0 || !joins(text.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** A national number's trunk prefix: {@code 0} and a digit from 1 to 9, or {@code (0}, not inside a word or a number. */
    static int nationalPhone(String text, int from) {
        int length = text.length();
        for (int i = from, last = length - 8; i <= last; i++) {
            char c = text.charAt(i);
            int zero = c == '(' ? i + 1 : i;
            if ((c == '0' || c == '(') && zero + 1 < length && text.charAt(zero) == '0' && text.charAt(zero + 1) >= '1'
                    && text.charAt(zero + 1) <= '9' && (i == 0 || !joins(text.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean digits(String text, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (i >= text.length() || !Checks.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Characters that make a number part of a longer token (an id, a version, a decimal). */
    private static boolean joins(char c) {
        return isAlphanumeric(c) || c == '_' || c == '.' || c == '+' || c == '-';
    }

    private static boolean isAlphanumeric(char c) {
        return Checks.isDigit(c) || isUpper(c) || (c >= 'a' && c <= 'z');
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }
}
