package io.weft.inference.extraction;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * An HTML page's readable text, with its structure kept where the chunker looks for it: headings
 * as Markdown headings, blocks (paragraphs, list items, table rows…) on lines of their own with a
 * blank line between paragraphs. Scripts, styles and the head are dropped. The charset comes from
 * the byte-order mark or the page's {@code <meta>}, else UTF-8.
 */
final class HtmlText {
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
    private static final Set<String> DROPPED = Set.of("script", "style", "noscript", "template", "svg", "head", "iframe", "object");
    private static final Set<String> PARAGRAPHS = Set.of("p", "section", "article", "blockquote", "pre", "table", "ul", "ol", "dl",
            "header", "footer", "main", "aside", "figure", "hr");
    private static final Set<String> LINES = Set.of("div", "li", "tr", "br", "dt", "dd", "caption", "figcaption", "nav", "form");

    private HtmlText() {
    }

    static String of(byte[] content) throws ExtractionFailure {
        Element body;
        try {
            body = Jsoup.parse(new ByteArrayInputStream(content), null, "").body();
        } catch (IOException | RuntimeException e) {
            throw new ExtractionFailure(ExtractionFailure.Reason.UNREADABLE, "the HTML cannot be read: " + e.getMessage());
        }
        body.select(String.join(",", DROPPED)).remove();
        StringBuilder text = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode textNode) {
                    boolean preformatted = textNode.parent() instanceof Element parent && parent.closest("pre") != null;
                    String words = preformatted ? textNode.getWholeText() : WHITESPACE.matcher(textNode.getWholeText()).replaceAll(" ");
                    if (!preformatted && (text.isEmpty() || text.charAt(text.length() - 1) == '\n' || text.charAt(text.length() - 1) == ' ')) {
                        words = words.stripLeading();
                    }
                    text.append(words);
                } else if (node instanceof Element element) {
                    String tag = element.normalName();
                    if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
                        breakWith(text, "\n\n");
                        text.append("#".repeat(tag.charAt(1) - '0')).append(' ');
                    } else if (PARAGRAPHS.contains(tag)) {
                        breakWith(text, "\n\n");
                    } else if (LINES.contains(tag)) {
                        breakWith(text, "\n");
                        if (tag.equals("li")) {
                            text.append("- ");
                        }
                    } else if ((tag.equals("td") || tag.equals("th")) && element.elementSiblingIndex() > 0) {
                        text.append(" | ");
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element) {
                    String tag = element.normalName();
                    if (PARAGRAPHS.contains(tag) || (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1)))) {
                        breakWith(text, "\n\n");
                    } else if (LINES.contains(tag)) {
                        breakWith(text, "\n");
                    }
                }
            }
        }, body);
        return text.toString();
    }

    /** Ends what is written with this break, not adding to a break already there. */
    private static void breakWith(StringBuilder text, String lineBreak) {
        while (!text.isEmpty() && (text.charAt(text.length() - 1) == ' ' || text.charAt(text.length() - 1) == '\t')) {
            text.setLength(text.length() - 1);
        }
        if (text.isEmpty()) {
            return;
        }
        int existing = 0;
        while (existing < text.length() && text.charAt(text.length() - 1 - existing) == '\n') {
            existing++;
        }
        for (int i = existing; i < lineBreak.length(); i++) {
            text.append('\n');
        }
    }
}
