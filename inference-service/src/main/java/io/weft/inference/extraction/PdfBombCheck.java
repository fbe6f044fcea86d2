package io.weft.inference.extraction;

import io.weft.inference.extraction.ExtractionFailure.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.Filter;
import org.apache.pdfbox.filter.FilterFactory;

/**
 * Measures what a PDF's streams decompress into before any of them is read for text: PDFBox
 * decodes a content stream whole into memory, so one small page that inflates to gigabytes would
 * take the heap. Each stream is decoded into a counter (never kept), and the document fails once
 * the total passes {@code maxDecodedBytes}. Images are skipped: text extraction never decodes them.
 */
final class PdfBombCheck {
    private static final List<COSName> IMAGE_CODECS = List.of(COSName.DCT_DECODE, COSName.JPX_DECODE, COSName.JBIG2_DECODE,
            COSName.CCITTFAX_DECODE);

    private PdfBombCheck() {
    }

    /** Thrown by the counter the moment the budget is spent. */
    private static final class Exceeded extends IOException {
        Exceeded() {
            super(null, null);
        }
    }

    static void check(COSDocument document, long maxDecodedBytes) throws ExtractionFailure {
        long[] left = {maxDecodedBytes};
        try {
            for (COSObjectKey key : new ArrayList<>(document.getXrefTable().keySet())) {
                var object = document.getObjectFromPool(key);
                if (object != null && object.getObject() instanceof COSStream stream && !COSName.IMAGE.equals(stream.getCOSName(COSName.SUBTYPE))) {
                    decode(stream, left);
                }
            }
        } catch (Exceeded e) {
            throw new ExtractionFailure(Reason.TOO_LARGE, "the PDF decompresses into more than " + (maxDecodedBytes >> 20) + " MB");
        } catch (IOException | RuntimeException e) {
            // a stream PDFBox cannot decode: text extraction skips it as well, or says what is wrong with the file
        }
    }

    private static void decode(COSStream stream, long[] left) throws IOException {
        List<COSName> filters = filters(stream.getFilters());
        if (filters.isEmpty() || filters.stream().anyMatch(IMAGE_CODECS::contains)) {
            return;
        }
        byte[] input = null;
        for (int i = 0; i < filters.size(); i++) {
            Filter filter = FilterFactory.INSTANCE.getFilter(filters.get(i));
            boolean last = i == filters.size() - 1;
            ByteArrayOutputStream kept = last ? null : new ByteArrayOutputStream();
            try (InputStream in = input == null ? stream.createRawInputStream() : new ByteArrayInputStream(input)) {
                filter.decode(in, counting(kept, left), stream, i);
            }
            input = last ? null : kept.toByteArray();
        }
    }

    private static OutputStream counting(OutputStream kept, long[] left) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                take(1);
                if (kept != null) {
                    kept.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                take(length);
                if (kept != null) {
                    kept.write(bytes, offset, length);
                }
            }

            private void take(long bytes) throws Exceeded {
                left[0] -= bytes;
                if (left[0] < 0) {
                    throw new Exceeded();
                }
            }
        };
    }

    private static List<COSName> filters(COSBase filters) {
        List<COSName> names = new ArrayList<>();
        if (filters instanceof COSName name) {
            names.add(name);
        } else if (filters instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.getObject(i) instanceof COSName name) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
