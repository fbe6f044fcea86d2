package io.weft.inference.extraction;

import io.weft.inference.extraction.ExtractionFailure.Reason;
import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * A PDF's text, page by page, with a blank line between paragraphs and pages. Its streams may
 * decompress into {@link #MAX_DECODED_BYTES} in all ({@link PdfBombCheck}), and PDFBox's buffers
 * take at most {@link #MEMORY_BYTES} of heap and {@link #SCRATCH_BYTES} of temporary file, so that
 * a decompression bomb fails the document, not the service.
 */
final class PdfText {
    static final long MEMORY_BYTES = 32L << 20;
    static final long SCRATCH_BYTES = 512L << 20;
    static final long MAX_DECODED_BYTES = 256L << 20;
    static final int MAX_PAGES = 5_000;

    private PdfText() {
    }

    static String of(byte[] content, int maxChars) throws ExtractionFailure {
        try (PDDocument pdf = Loader.loadPDF(content, "", null, null, MemoryUsageSetting.setupMixed(MEMORY_BYTES, SCRATCH_BYTES).streamCache)) {
            if (!pdf.getCurrentAccessPermission().canExtractContent()) {
                throw new ExtractionFailure(Reason.ENCRYPTED, "the PDF is encrypted and its owner does not allow extracting its text");
            }
            PdfBombCheck.check(pdf.getDocument(), MAX_DECODED_BYTES);
            int pages = pdf.getNumberOfPages();
            if (pages > MAX_PAGES) {
                throw new ExtractionFailure(Reason.TOO_LARGE, "the PDF has " + pages + " pages; at most " + MAX_PAGES + " are read");
            }
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setLineSeparator("\n");
            stripper.setParagraphEnd("\n");
            stripper.setPageEnd("\n\n");
            StringBuilder text = new StringBuilder();
            for (int page = 1; page <= pages; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                text.append(stripper.getText(pdf));
                if (text.length() > maxChars) {
                    throw new ExtractionFailure(Reason.TOO_LARGE, "the PDF's text is longer than " + maxChars + " characters");
                }
            }
            return text.toString();
        } catch (InvalidPasswordException e) {
            throw new ExtractionFailure(Reason.ENCRYPTED, "the PDF is encrypted with a password; upload it decrypted");
        } catch (IOException | RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("exceeded")) {
                throw new ExtractionFailure(Reason.TOO_LARGE, "the PDF decompresses into more than " + (SCRATCH_BYTES >> 20) + " MB");
            }
            throw new ExtractionFailure(Reason.UNREADABLE, "the PDF cannot be read: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }
}
