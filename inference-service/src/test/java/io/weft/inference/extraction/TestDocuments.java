package io.weft.inference.extraction;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Real PDFs made with PDFBox for the tests: text on pages, encrypted ones, a page of no text, a decompression bomb. */
public final class TestDocuments {
    private TestDocuments() {
    }

    /** One page per entry, each line of it written on its own line. */
    public static byte[] pdf(List<List<String>> pages) {
        try (PDDocument pdf = new PDDocument()) {
            addPages(pdf, pages);
            return save(pdf);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PDF that opens only with {@code userPassword} (null: opens without one, but its owner forbids extracting text). */
    public static byte[] encryptedPdf(String userPassword) {
        try (PDDocument pdf = new PDDocument()) {
            addPages(pdf, List.of(List.of("Secret salaries of 2026")));
            AccessPermission permissions = new AccessPermission();
            permissions.setCanExtractContent(userPassword != null);
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", userPassword == null ? "" : userPassword, permissions);
            policy.setEncryptionKeyLength(128);
            pdf.protect(policy);
            return save(pdf);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PDF with a page that draws no text at all (as a scan without text recognition). */
    public static byte[] pdfWithoutText() {
        try (PDDocument pdf = new PDDocument()) {
            PDPage page = new PDPage();
            pdf.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                content.addRect(50, 50, 100, 100);
                content.fill();
            }
            return save(pdf);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small PDF whose one page's content stream inflates to {@code inflatedBytes} of spaces. */
    public static byte[] decompressionBomb(long inflatedBytes) {
        try (PDDocument pdf = new PDDocument()) {
            PDPage page = new PDPage();
            pdf.addPage(page);
            COSStream stream = pdf.getDocument().createCOSStream();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new java.util.zip.Deflater(9), 1 << 16)) {
                byte[] spaces = new byte[1 << 20];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (long written = 0; written < inflatedBytes; written += spaces.length) {
                    deflate.write(spaces, 0, (int) Math.min(spaces.length, inflatedBytes - written));
                }
            }
            try (OutputStream raw = stream.createRawOutputStream()) {
                raw.write(compressed.toByteArray());
            }
            stream.setItem(COSName.FILTER, COSName.FLATE_DECODE);
            page.getCOSObject().setItem(COSName.CONTENTS, stream);
            return save(pdf);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addPages(PDDocument pdf, List<List<String>> pages) throws IOException {
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        for (List<String> lines : pages) {
            PDPage page = new PDPage();
            pdf.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                content.beginText();
                content.setFont(font, 11);
                content.setLeading(14);
                content.newLineAtOffset(50, 740);
                for (String line : lines) {
                    content.showText(line);
                    content.newLine();
                }
                content.endText();
            }
        }
    }

    private static byte[] save(PDDocument pdf) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pdf.save(out);
        return out.toByteArray();
    }
}
