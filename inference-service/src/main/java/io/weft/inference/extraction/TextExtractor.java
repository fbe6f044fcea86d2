package io.weft.inference.extraction;

import io.weft.inference.extraction.ExtractionFailure.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of an uploaded document, as the chunker and citations see it: line breaks as {@code \n},
 * no control characters but tabs and line breaks, no byte-order mark. Markdown keeps its headings;
 * HTML and PDF are turned into text that keeps theirs (HTML headings become Markdown headings).
 * Bounded: at most {@link #MAX_TEXT_CHARS} characters, so that a small upload that expands into a
 * huge text (a compressed PDF) fails instead of filling the heap.
 */
public final class TextExtractor {
    public static final int MAX_TEXT_CHARS = 20_000_000;

    private TextExtractor() {
    }

    public static String extract(String contentType, byte[] content) throws ExtractionFailure {
        String raw = switch (contentType) {
            case DocumentTypes.TEXT, DocumentTypes.MARKDOWN -> utf8(content);
            case DocumentTypes.HTML -> HtmlText.of(content);
            case DocumentTypes.PDF -> PdfText.of(content, MAX_TEXT_CHARS);
            default -> throw new ExtractionFailure(Reason.UNSUPPORTED_TYPE, contentType + " is not a type Weft reads; send text, Markdown,"
                    + " HTML or PDF");
        };
        String text = normalised(raw);
        if (text.length() > MAX_TEXT_CHARS) {
            throw new ExtractionFailure(Reason.TOO_LARGE, "the document's text is longer than " + MAX_TEXT_CHARS + " characters");
        }
        if (text.isBlank()) {
            throw new ExtractionFailure(Reason.EMPTY_TEXT, DocumentTypes.PDF.equals(contentType)
                    ? "the PDF has no text to read (a scan needs text recognition first)"
                    : "the document has no text");
        }
        return text;
    }

    /** Strict UTF-8: a file of another encoding, or a binary file sent as text, is refused rather than read as garbage. */
    public static String utf8(byte[] content) throws ExtractionFailure {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
            if (text.indexOf('\0') >= 0) {
                throw new ExtractionFailure(Reason.UNREADABLE, "the file holds NUL bytes: it is binary, not text");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new ExtractionFailure(Reason.UNREADABLE, "the file is not UTF-8 text");
        }
    }

    static String normalised(String raw) {
        StringBuilder text = new StringBuilder(raw.length());
        int from = raw.startsWith("\uFEFF") ? 1 : 0;
        for (int i = from; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r') {
                text.append('\n');
                if (i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '\f') {
                text.append("\n\n");
            } else if (c == '\n' || c == '\t' || (c >= ' ' && c != '\u007F' && !(c >= '\u0080' && c < '\u00A0'))) {
                text.append(c);
            }
        }
        return text.toString().strip();
    }
}
