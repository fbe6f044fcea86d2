package io.weft.inference.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.inference.extraction.ExtractionFailure.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextExtractorTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void textAndMarkdownAreReadAsUtf8WithLineBreaksAndControlsTidied() throws ExtractionFailure {
        assertThat(TextExtractor.extract(DocumentTypes.TEXT, utf8("\uFEFFLine one\r\nLine two\rLine\u0007 three\u000C Next page  ")))
                .isEqualTo("Line one\nLine two\nLine three\n\n Next page");
        assertThat(TextExtractor.extract(DocumentTypes.MARKDOWN, utf8("# Title\n\nÜber 東京 😀\n")))
                .isEqualTo("# Title\n\nÜber 東京 😀");
    }

    @Test
    void textThatIsNotUtf8OrIsBinaryIsRefused() {
        assertThatThrownBy(() -> TextExtractor.extract(DocumentTypes.TEXT, new byte[] {'a', (byte) 0xC3, '(', 'b'}))
                .isInstanceOf(ExtractionFailure.class).hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> TextExtractor.extract(DocumentTypes.TEXT, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}))
                .isInstanceOf(ExtractionFailure.class);
        assertThatThrownBy(() -> TextExtractor.extract(DocumentTypes.TEXT, utf8("a\u0000b"))).isInstanceOf(ExtractionFailure.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> TextExtractor.extract(DocumentTypes.MARKDOWN, utf8(" \n\t\r\n "))).isInstanceOf(ExtractionFailure.class)
                .extracting(failure -> ((ExtractionFailure) failure).reason()).isEqualTo(Reason.EMPTY_TEXT);
    }

    @Test
    void htmlKeepsItsHeadingsAndBlocksAndDropsScriptsStylesAndTheHead() throws ExtractionFailure {
        String html = """
                <!doctype html><html><head><title>Ignored title</title><style>p{color:red}</style></head>
                <body><script>alert('x')</script>
                <h1>Leave policy</h1><p>Staff get <b>25 days</b> of leave.</p>
                <h2>Carry-over</h2><p>Up to five days
                   carry over.</p><ul><li>Ask your manager</li><li>Record it</li></ul>
                <table><tr><th>Year</th><th>Days</th></tr><tr><td>2026</td><td>25</td></tr></table>
                <pre>  keep
                   this</pre></body></html>""";
        String text = TextExtractor.extract(DocumentTypes.HTML, utf8(html));
        assertThat(text).startsWith("# Leave policy\n\nStaff get 25 days of leave.\n\n## Carry-over\n\nUp to five days carry over.")
                .contains("- Ask your manager\n- Record it").contains("Year | Days\n2026 | 25").contains("  keep\n   this")
                .doesNotContain("alert").doesNotContain("color").doesNotContain("Ignored title").doesNotContain("\n\n\n");
    }

    @Test
    void htmlInTheCharsetItDeclaresIsRead() throws ExtractionFailure {
        byte[] latin1 = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\u00e9 cr\u00e8me</p></body></html>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(TextExtractor.extract(DocumentTypes.HTML, latin1)).isEqualTo("Café crème");
    }

    @Test
    void aPdfsTextComesPageByPage() throws ExtractionFailure {
        byte[] pdf = TestDocuments.pdf(List.of(List.of("Leave policy", "Staff get 25 days of leave."), List.of("Carry-over rules apply.")));
        String text = TextExtractor.extract(DocumentTypes.PDF, pdf);
        assertThat(text).contains("Leave policy").contains("Staff get 25 days of leave.").contains("Carry-over rules apply.");
        assertThat(text.indexOf("Carry-over")).isGreaterThan(text.indexOf("Staff get"));
    }

    @Test
    void encryptedEmptyBrokenAndBombPdfsFailWithTheirReason() {
        assertThat(reason(TestDocuments.encryptedPdf("open-sesame"))).isEqualTo(Reason.ENCRYPTED);
        assertThat(reason(TestDocuments.encryptedPdf(null))).isEqualTo(Reason.ENCRYPTED);
        assertThat(reason(TestDocuments.pdfWithoutText())).isEqualTo(Reason.EMPTY_TEXT);
        assertThat(reason(utf8("%PDF-1.7\nthis is not a PDF at all\n%%EOF"))).isEqualTo(Reason.UNREADABLE);
        byte[] bomb = TestDocuments.decompressionBomb(PdfText.MAX_DECODED_BYTES + (64L << 20));
        assertThat(bomb.length).isLessThan(1 << 20);
        assertThat(reason(bomb)).isEqualTo(Reason.TOO_LARGE);
    }

    private static Reason reason(byte[] pdf) {
        try {
            TextExtractor.extract(DocumentTypes.PDF, pdf);
            throw new AssertionError("the PDF was read");
        } catch (ExtractionFailure failure) {
            return failure.reason();
        }
    }

    @Test
    void typesComeFromTheDeclarationElseTheFileName() {
        assertThat(DocumentTypes.of("text/markdown; charset=utf-8", "x.txt")).contains(DocumentTypes.MARKDOWN);
        assertThat(DocumentTypes.of("application/octet-stream", "Handbook.PDF")).contains(DocumentTypes.PDF);
        assertThat(DocumentTypes.of(null, "notes.md")).contains(DocumentTypes.MARKDOWN);
        assertThat(DocumentTypes.of("image/png", "scan.pdf")).isEmpty();
        assertThat(DocumentTypes.of("application/octet-stream", "archive.zip")).isEmpty();
    }
}
