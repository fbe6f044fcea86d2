package io.weft.logs.redaction;

/** One shape of secret or personal data and how to find it in a text. */
interface Detector {

    RedactionCategory category();

    /**
     * A cheap test, run before anything else: false only when the text cannot hold a match (too short,
     * too few digits). Most log lines hold nothing to mask, so the redactor spends most of its time here
     * and in the first anchor search.
     *
     * @param digits an upper bound of the number of ASCII digits in the text, capped at {@link #ENOUGH_DIGITS}
     */
    boolean worthTrying(String text, int digits);

    /** The spans to mask, left to right, never overlapping one another. */
    Spans find(String text);

    /** No detector needs to know of more digits than this. */
    int ENOUGH_DIGITS = 13;

    /** An iterator over the spans to mask in one text. */
    interface Spans {
        boolean next();

        int start();

        int end();
    }
}
