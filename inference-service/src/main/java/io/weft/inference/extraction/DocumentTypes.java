package io.weft.inference.extraction;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The kinds of document Weft takes, by media type, and the media type of an upload that names none (by its file name). */
public final class DocumentTypes {
    public static final String TEXT = "text/plain";
    public static final String MARKDOWN = "text/markdown";
    public static final String HTML = "text/html";
    public static final String PDF = "application/pdf";
    public static final Set<String> SUPPORTED = Set.of(TEXT, MARKDOWN, HTML, PDF);

    private static final Map<String, String> BY_EXTENSION = Map.of("txt", TEXT, "text", TEXT, "md", MARKDOWN, "markdown", MARKDOWN,
            "html", HTML, "htm", HTML, "pdf", PDF);
    private static final Map<String, String> ALIASES = Map.of("text/x-markdown", MARKDOWN, "application/xhtml+xml", HTML,
            "application/x-pdf", PDF);
    /** What browsers and tools send when they do not know. */
    private static final Set<String> UNKNOWN = Set.of("application/octet-stream", "binary/octet-stream", "");

    private DocumentTypes() {
    }

    /**
     * The supported media type of an upload: the declared one (parameters aside), or the file
     * name's when the declared one says nothing; empty when neither is supported.
     */
    public static Optional<String> of(String declared, String fileName) {
        String type = declared == null ? "" : declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        type = ALIASES.getOrDefault(type, type);
        if (SUPPORTED.contains(type)) {
            return Optional.of(type);
        }
        if (!UNKNOWN.contains(type) || fileName == null) {
            return Optional.empty();
        }
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }
}
