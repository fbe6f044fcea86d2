package io.weft.logs.ingest;

/**
 * Text from events made fit for a column: PostgreSQL refuses NUL in text, and an event must
 * never fail its whole batch, so NUL is dropped; long values are cut (the whole value is the
 * producer's, not the log's, to keep).
 */
final class Texts {
    /** Error messages, cancel reasons, dead-letter messages. */
    static final int MESSAGE = 8_192;
    /** Ids, names, types, addresses. */
    static final int NAME = 512;

    private Texts() {
    }

    static String clean(String value, int maxLength) {
        if (value == null) {
            return null;
        }
        String text = value.indexOf('\0') >= 0 ? value.replace("\0", "") : value;
        if (text.length() <= maxLength) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
        return text.substring(0, end) + "…";
    }
}
