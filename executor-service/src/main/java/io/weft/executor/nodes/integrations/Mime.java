package io.weft.executor.nodes.integrations;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * An RFC 5322 message with MIME parts, as Gmail's {@code messages.send} takes it ({@code raw}): text
 * and/or HTML (alternatives), attachments (mixed), non-ASCII headers as encoded words, bodies in
 * base64. Header values with a line break are refused: they would add headers of the caller's choice.
 */
final class Mime {
    private static final Base64.Encoder BODY = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));

    record Attachment(String fileName, String mimeType, byte[] bytes) {
    }

    /** What a reply needs of the message it answers. */
    record Reply(String messageId, String references, String subject, String from) {
    }

    record Message(String to, String cc, String bcc, String subject, String text, String html, String messageId, Reply reply,
                   List<Attachment> attachments) {
    }

    private Mime() {
    }

    static byte[] message(Message message) {
        StringBuilder out = new StringBuilder();
        header(out, "To", message.to());
        header(out, "Cc", message.cc());
        header(out, "Bcc", message.bcc());
        header(out, "Subject", encodedWord(message.subject()));
        header(out, "Message-ID", message.messageId());
        if (message.reply() != null && !message.reply().messageId().isEmpty()) {
            header(out, "In-Reply-To", message.reply().messageId());
            String references = message.reply().references().isEmpty() ? message.reply().messageId()
                    : message.reply().references() + " " + message.reply().messageId();
            header(out, "References", references);
        }
        header(out, "MIME-Version", "1.0");
        String content = content(message);
        if (message.attachments().isEmpty()) {
            out.append(content);
        } else {
            String boundary = boundary();
            out.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n");
            out.append("--").append(boundary).append("\r\n").append(content).append("\r\n");
            for (Attachment attachment : message.attachments()) {
                String name = attachment.fileName().replaceAll("[\"\\\\\r\n]", "_");
                out.append("--").append(boundary).append("\r\n");
                out.append("Content-Type: ").append(safe("mimeType", attachment.mimeType())).append("; name=\"").append(name).append("\"\r\n");
                out.append("Content-Disposition: attachment; filename=\"").append(name).append("\"\r\n");
                out.append("Content-Transfer-Encoding: base64\r\n\r\n").append(BODY.encodeToString(attachment.bytes())).append("\r\n");
            }
            out.append("--").append(boundary).append("--\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The text, the HTML, or both as alternatives: headers and body of one part. */
    private static String content(Message message) {
        boolean text = message.text() != null && !message.text().isBlank();
        boolean html = message.html() != null && !message.html().isBlank();
        if (text && html) {
            String boundary = boundary();
            return "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n"
                    + "--" + boundary + "\r\n" + part("text/plain", message.text()) + "\r\n"
                    + "--" + boundary + "\r\n" + part("text/html", message.html()) + "\r\n"
                    + "--" + boundary + "--";
        }
        return html ? part("text/html", message.html()) : part("text/plain", message.text());
    }

    private static String part(String type, String body) {
        return "Content-Type: " + type + "; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + BODY.encodeToString(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void header(StringBuilder out, String name, String value) {
        if (value != null && !value.isBlank()) {
            out.append(name).append(": ").append(safe(name, value.strip())).append("\r\n");
        }
    }

    private static String safe(String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(name + " must be one line");
        }
        return value;
    }

    /** ASCII as it is; anything else as an RFC 2047 encoded word. */
    private static String encodedWord(String value) {
        if (value == null || value.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            return value;
        }
        safe("Subject", value);
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** Text made safe inside HTML (a body the node writes around a run's data). */
    static String escapeHtml(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> safe.append("&amp;");
                case '<' -> safe.append("&lt;");
                case '>' -> safe.append("&gt;");
                case '"' -> safe.append("&quot;");
                case '\'' -> safe.append("&#39;");
                default -> safe.append(c);
            }
        }
        return safe.toString();
    }

    private static String boundary() {
        return "weft-" + UUID.randomUUID();
    }
}
