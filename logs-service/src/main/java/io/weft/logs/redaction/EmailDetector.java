package io.weft.logs.redaction;

/**
 * Email addresses, found from each {@code @} outwards rather than by a pattern: a pattern starting with
 * the local part would be tried at every position of a long token and go quadratic on base64 blobs.
 */
final class EmailDetector implements Detector {
    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;

    @Override
    public RedactionCategory category() {
        return RedactionCategory.EMAIL;
    }

    @Override
    public boolean worthTrying(String text, int digits) {
        return text.length() >= 6 && text.indexOf('@') >= 0;
    }

    @Override
    public Spans find(String text) {
        return new Spans() {
            private int at = text.indexOf('@');
            private int start;
            private int end;

            @Override
            public boolean next() {
                int lastEnd = end;
                for (; at >= 0; at = text.indexOf('@', at + 1)) {
                    int from = localStart(text, at);
                    int to = domainEnd(text, at);
                    if (from >= 0 && to >= 0 && from >= lastEnd && !isRepositoryRemote(text, from, at, to)) {
                        start = from;
                        end = to;
                        at = text.indexOf('@', to);
                        return true;
                    }
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

    /** {@code git@github.com:org/repo.git}: a repository's address, the same for everyone, not a person's. */
    private static boolean isRepositoryRemote(String text, int from, int at, int to) {
        return at - from == 3 && text.startsWith("git", from) && to + 1 < text.length() && text.charAt(to) == ':'
                && !Character.isWhitespace(text.charAt(to + 1));
    }

    /** Where the local part before {@code at} starts, or -1 when there is none. */
    private static int localStart(String text, int at) {
        int limit = Math.max(0, at - MAX_LOCAL);
        int i = at;
        while (i > limit && isLocal(text.charAt(i - 1))) {
            i--;
        }
        if (i > 0 && isLocal(text.charAt(i - 1))) {
            return -1; // longer than any real local part: some other token
        }
        while (i < at && text.charAt(i) == '.') {
            i++;
        }
        return i < at ? i : -1;
    }

    /** Where the domain after {@code at} ends, or -1 when it is not a dotted name ending in a 2+ letter TLD. */
    private static int domainEnd(String text, int at) {
        int limit = Math.min(text.length(), at + 1 + MAX_DOMAIN);
        int i = at + 1;
        while (i < limit && isDomain(text.charAt(i))) {
            i++;
        }
        if (i < text.length() && isDomain(text.charAt(i))) {
            return -1; // longer than any real domain name: some other token
        }
        // A sentence may end right after the address.
        while (i > at + 1 && (text.charAt(i - 1) == '.' || text.charAt(i - 1) == '-')) {
            i--;
        }
        if (i == at + 1 || text.charAt(at + 1) == '.' || text.charAt(at + 1) == '-') {
            return -1;
        }
        // The last label is the top-level domain: two or more letters, after a dot.
        int tld = i;
        while (tld > at + 1 && isLetter(text.charAt(tld - 1))) {
            tld--;
        }
        if (i - tld < 2 || text.charAt(tld - 1) != '.' || tld - 1 == at + 1) {
            return -1;
        }
        for (int j = at + 2; j < i; j++) {
            if (text.charAt(j) == '.' && text.charAt(j - 1) == '.') {
                return -1;
            }
        }
        return i;
    }

    private static boolean isLocal(char c) {
        return isLetter(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isDomain(char c) {
        return isLetter(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
