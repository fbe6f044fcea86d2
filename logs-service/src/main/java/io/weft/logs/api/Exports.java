package io.weft.logs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.json.WeftJson;
import io.weft.platform.api.Paging;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * Streams a list as CSV or NDJSON, page by page (keyset), so an export of any size holds one page
 * in memory. CSV cells that a spreadsheet would run as a formula are prefixed with {@code '}.
 */
public final class Exports {
    public static final int PAGE = 1_000;

    public enum Format {
        CSV("text/csv; charset=utf-8", "csv"),
        NDJSON("application/x-ndjson", "ndjson");

        private final String contentType;
        private final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }
    }

    /** How one kind of entry is exported: its columns, and each entry's cells in that order. */
    public record Shape<T>(List<String> columns, Function<T, List<Object>> cells) {
    }

    private Exports() {
    }

    public static Format format(String value) {
        if (value == null || value.isBlank()) {
            return Format.NDJSON;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> Format.CSV;
            case "ndjson" -> Format.NDJSON;
            default -> throw Paging.invalid("format", "must be csv or ndjson");
        };
    }

    /**
     * @param page   the page after a cursor ({@code null} for the first)
     * @param cursor the cursor after an entry
     */
    public static <T, C> RestMulti<byte[]> stream(String name, Format format, Shape<T> shape, Function<C, Uni<List<T>>> page,
                                                  Function<T, C> cursor) {
        AtomicReference<C> after = new AtomicReference<>();
        Multi<byte[]> pages = Multi.createBy().repeating()
                .uni(() -> page.apply(after.get()).invoke(entries -> {
                    if (!entries.isEmpty()) {
                        after.set(cursor.apply(entries.get(entries.size() - 1)));
                    }
                }))
                .until(List::isEmpty)
                .map(entries -> render(format, shape, entries));
        Multi<byte[]> body = format == Format.CSV
                ? Multi.createBy().concatenating().streams(Multi.createFrom().item(csvLine(shape.columns())), pages)
                : pages;
        return RestMulti.fromMultiData(body)
                .header("Content-Type", format.contentType)
                .header("Content-Disposition", "attachment; filename=\"" + name + "." + format.extension + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    private static <T> byte[] render(Format format, Shape<T> shape, List<T> entries) {
        StringBuilder text = new StringBuilder(entries.size() * 200);
        for (T entry : entries) {
            if (format == Format.CSV) {
                text.append(new String(csvLine(shape.cells().apply(entry)), StandardCharsets.UTF_8));
            } else {
                try {
                    text.append(WeftJson.mapper().writeValueAsString(entry)).append('\n');
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] csvLine(List<?> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(csvCell(cells.get(i)));
        }
        return line.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String csvCell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof String ? (String) value : value instanceof java.util.Map<?, ?> || value instanceof List<?>
                ? WeftJson.mapper().valueToTree(value).toString() : String.valueOf(value);
        if (value instanceof String && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            text = '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
