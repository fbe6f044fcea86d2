package io.weft.executor.nodes.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.human.ApprovalGate;
import io.weft.executor.nodes.human.Approvals;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.platform.net.OutboundAddresses;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Gmail ({@code integration.gmail}), with a {@code gmailOAuth2} credential: sends a message (plain
 * text and/or HTML, attachments from the item's binaries), replies in a message's thread, lists
 * messages matching a Gmail search (every page, up to {@code limit}) or gets one, and adds or
 * removes labels. A message sent carries a Message-ID made from the run, the node and the item, the
 * same in every attempt: before sending, the node looks for it in the mailbox
 * ({@code rfc822msgid:}) and, when an earlier attempt sent it, gives that message instead of
 * sending again; a send is also recorded in the run's checkpoint.
 */
@Singleton
public class GmailNode extends IntegrationNode<GmailNode.Parameters> {
    static final List<String> CREDENTIAL_TYPES = List.of("gmailOAuth2");
    static final int PAGE = 100;

    /** An attachment: the item's binary under {@code binaryProperty}, sent as {@code fileName}. */
    public record Attachment(String binaryProperty, String fileName, String mimeType) {
    }

    public record Parameters(String operation, String to, String cc, String bcc, String subject, String text, String html,
                             List<Attachment> attachments, String messageId, String query, Integer limit, List<String> labelIds,
                             String toolDescription, String approveLabel, String rejectLabel, Integer timeoutMinutes) {

        /** The message of a send and wait: sent as a plain send with these bodies. */
        Parameters asSend(String newText, String newHtml) {
            return new Parameters("send", to, cc, bcc, subject, newText, newHtml, attachments, messageId, query, limit, labelIds,
                    toolDescription, approveLabel, rejectLabel, timeoutMinutes);
        }
    }

    private final OutboundHttp http;
    private final URI base;
    private final ApprovalGate approvals;

    @Inject
    public GmailNode(@ConfigProperty(name = "weft.executor.integrations.gmail-url", defaultValue = "https://gmail.googleapis.com") URI base,
                     Approvals approvals) {
        super("integration.gmail", Parameters.class, "Gmail", CREDENTIAL_TYPES);
        this.base = base;
        this.http = new OutboundHttp(OutboundAddresses.publicOnly());
        this.approvals = approvals == null ? null : new ApprovalGate(approvals);
    }

    /** Without approvals: send and wait fails (tests and benchmarks of the other operations). */
    public GmailNode(URI base) {
        this(base, null);
    }

    @Override
    public NodeOutput run(NodeRun run) {
        GoogleApi gmail = GoogleApi.of(http, credential(run), run.clock(), "Gmail", "https://www.googleapis.com/auth/gmail.modify",
                refused -> credentialAfterRefusal(run, refused));
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < run.items().size(); i++) {
            Parameters parameters = parameters(run, i);
            int item = i;
            switch (parameters.operation()) {
                case "send", "reply" -> out.add(Item.of(run.once("gmail:send:" + i, () -> sent(run, gmail, parameters, item))));
                case "sendAndWait" -> {
                    return NodeOutput.main(List.of(Item.of(sentAndWaited(run, gmail, parameters))));
                }
                case "list" -> listed(run, gmail, parameters).forEach(message -> out.add(Item.of(message)));
                case "get" -> out.add(Item.of(read(gmail.get(uri("/messages/" + messageId(run, parameters) + "?format=full")))));
                case "addLabels", "removeLabels" -> out.add(Item.of(labelled(run, gmail, parameters)));
                default -> throw invalid(run, "operation " + parameters.operation() + " is not one of Gmail's");
            }
        }
        return NodeOutput.main(out);
    }

    /**
     * Send and wait (one message per node run, with the first item's parameters): the node's approval
     * is opened with signed links, the message sent once with an approve and a reject link (HTML, and
     * the links in the text part), and the run parks until a click decides or the time limit passes;
     * then one item goes on with {@code approved}, the {@code status} and the approval.
     */
    private ObjectNode sentAndWaited(NodeRun run, GoogleApi gmail, Parameters parameters) {
        if (approvals == null) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "send and wait is not available in this executor");
        }
        if (!ApprovalGate.woken(run)) {
            String text = required(run, "sendAndWait", "text", parameters.text());
            Approvals.Approval opened = approvals.open(run, text, null, 1, true, null, ApprovalGate.expiresAt(run, run.parameters()), true);
            String approve = opened.view().path("links").path("approve").asText();
            String reject = opened.view().path("links").path("reject").asText();
            String approveLabel = present(parameters.approveLabel()) ? parameters.approveLabel() : "Approve";
            String rejectLabel = present(parameters.rejectLabel()) ? parameters.rejectLabel() : "Reject";
            String html = "<p>" + Mime.escapeHtml(text).replace("\n", "<br>") + "</p><p><a href=\"" + Mime.escapeHtml(approve) + "\">"
                    + Mime.escapeHtml(approveLabel) + "</a> &nbsp; <a href=\"" + Mime.escapeHtml(reject) + "\">" + Mime.escapeHtml(rejectLabel)
                    + "</a></p>";
            String plain = text + "\n\n" + approveLabel + ": " + approve + "\n" + rejectLabel + ": " + reject + "\n";
            run.once("gmail:sendAndWait", () -> sent(run, gmail, parameters.asSend(plain, html), 0));
            throw ApprovalGate.park(opened);
        }
        return ApprovalGate.decided(approvals.settled(run));
    }

    private ObjectNode sent(NodeRun run, GoogleApi gmail, Parameters parameters, int item) {
        if (!present(parameters.text()) && !present(parameters.html())) {
            throw invalid(run, parameters.operation() + " needs text or html");
        }
        if (parameters.operation().equals("send") && !present(parameters.to())) {
            throw invalid(run, "send needs to");
        }
        String messageId = "<weft." + stableId(run, item) + "@weft.local>";
        Optional<ObjectNode> earlier = alreadySent(run, gmail, messageId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Mime.Reply reply = null;
        String threadId = null;
        if (parameters.operation().equals("reply")) {
            JsonNode original = gmail.get(uri("/messages/" + messageId(run, parameters)
                    + "?format=metadata&metadataHeaders=Message-ID&metadataHeaders=Subject&metadataHeaders=From&metadataHeaders=References"));
            threadId = original.path("threadId").asText();
            reply = new Mime.Reply(header(original, "Message-ID"), header(original, "References"), header(original, "Subject"),
                    header(original, "From"));
        }
        String to = present(parameters.to()) ? parameters.to() : reply == null ? null : reply.from();
        if (!present(to)) {
            throw invalid(run, parameters.operation() + " needs to");
        }
        String subject = present(parameters.subject()) ? parameters.subject() : reply == null ? "" : reply.subject();
        if (reply != null && !subject.regionMatches(true, 0, "re:", 0, 3)) {
            subject = "Re: " + subject;
        }
        byte[] message;
        try {
            message = Mime.message(new Mime.Message(to, parameters.cc(), parameters.bcc(), subject, parameters.text(), parameters.html(),
                    messageId, reply, attachments(run, parameters, item)));
        } catch (IllegalArgumentException e) {
            throw invalid(run, e.getMessage());
        }
        ObjectNode body = WeftJson.mapper().createObjectNode().put("raw", Base64.getUrlEncoder().encodeToString(message));
        if (threadId != null) {
            body.put("threadId", threadId);
        }
        JsonNode answer = gmail.post(uri("/messages/send"), body);
        return WeftJson.mapper().createObjectNode().put("id", answer.path("id").asText()).put("threadId", answer.path("threadId").asText())
                .put("messageId", messageId).set("labelIds", answer.path("labelIds"));
    }

    /**
     * The message an earlier attempt sent, found by its Message-ID; empty when there is none, or when
     * the credential may send but not read (scope {@code gmail.send} alone: the checkpoint's record is
     * then the only guard, and the run says so).
     */
    private Optional<ObjectNode> alreadySent(NodeRun run, GoogleApi gmail, String messageId) {
        JsonNode found;
        try {
            found = gmail.get(uri("/messages?maxResults=1&includeSpamTrash=true&q=" + GoogleApi.encoded("rfc822msgid:" + messageId)));
        } catch (NodeFailure refused) {
            if (refused.kind() != ErrorKind.CREDENTIALS) {
                throw refused;
            }
            run.warn("the Gmail credential cannot read the mailbox, so an earlier attempt's message cannot be looked for before sending");
            return Optional.empty();
        }
        JsonNode first = found.path("messages").path(0);
        if (first.isMissingNode()) {
            return Optional.empty();
        }
        ObjectNode earlier = WeftJson.mapper().createObjectNode().put("id", first.path("id").asText())
                .put("threadId", first.path("threadId").asText()).put("messageId", messageId).put("sentBefore", true);
        return Optional.of(earlier);
    }

    private List<Mime.Attachment> attachments(NodeRun run, Parameters parameters, int item) {
        List<Mime.Attachment> files = new ArrayList<>();
        for (Attachment attachment : parameters.attachments() == null ? List.<Attachment>of() : parameters.attachments()) {
            String property = attachment.binaryProperty() == null ? "data" : attachment.binaryProperty();
            String id = run.items().get(item).binary().get(property);
            if (id == null) {
                throw invalid(run, "the item has no binary \"" + property + "\" to attach");
            }
            byte[] bytes = run.payload(id).orElseThrow(() -> new NodeFailure(ErrorKind.INTERNAL, false,
                    "the item's binary \"" + property + "\" names a payload that is not stored"));
            files.add(new Mime.Attachment(present(attachment.fileName()) ? attachment.fileName() : property,
                    present(attachment.mimeType()) ? attachment.mimeType() : "application/octet-stream", bytes));
        }
        return files;
    }

    /** Every page of the search, then each message read, until {@code limit}. */
    private List<ObjectNode> listed(NodeRun run, GoogleApi gmail, Parameters parameters) {
        List<ObjectNode> messages = new ArrayList<>();
        String page = "";
        do {
            String query = "/messages?maxResults=" + Math.min(PAGE, parameters.limit() - messages.size())
                    + (present(parameters.query()) ? "&q=" + GoogleApi.encoded(parameters.query()) : "")
                    + (page.isEmpty() ? "" : "&pageToken=" + GoogleApi.encoded(page));
            JsonNode found = gmail.get(uri(query));
            for (JsonNode message : found.path("messages")) {
                if (messages.size() < parameters.limit()) {
                    messages.add(read(gmail.get(uri("/messages/" + GoogleApi.encoded(message.path("id").asText()) + "?format=full"))));
                }
            }
            page = found.path("nextPageToken").asText("");
        } while (!page.isEmpty() && messages.size() < parameters.limit());
        return messages;
    }

    private ObjectNode labelled(NodeRun run, GoogleApi gmail, Parameters parameters) {
        if (parameters.labelIds() == null || parameters.labelIds().isEmpty()) {
            throw invalid(run, parameters.operation() + " needs labelIds");
        }
        ObjectNode body = WeftJson.mapper().createObjectNode();
        ArrayNode labels = body.putArray(parameters.operation().equals("addLabels") ? "addLabelIds" : "removeLabelIds");
        parameters.labelIds().forEach(labels::add);
        JsonNode answer = gmail.post(uri("/messages/" + messageId(run, parameters) + "/modify"), body);
        return WeftJson.mapper().createObjectNode().put("id", answer.path("id").asText()).put("threadId", answer.path("threadId").asText())
                .set("labelIds", answer.path("labelIds"));
    }

    /** A Gmail message as an item: its headers, labels, snippet, text and HTML bodies, and its attachments' names. */
    static ObjectNode read(JsonNode message) {
        ObjectNode item = WeftJson.mapper().createObjectNode().put("id", message.path("id").asText())
                .put("threadId", message.path("threadId").asText()).put("snippet", message.path("snippet").asText(""));
        item.set("labelIds", message.path("labelIds").isArray() ? message.path("labelIds") : WeftJson.mapper().createArrayNode());
        for (String name : List.of("From", "To", "Cc", "Subject", "Date", "Message-ID")) {
            String value = header(message, name);
            if (!value.isEmpty()) {
                item.put(name.equals("Message-ID") ? "messageId" : name.toLowerCase(java.util.Locale.ROOT), value);
            }
        }
        item.put("text", body(message.path("payload"), "text/plain"));
        item.put("html", body(message.path("payload"), "text/html"));
        ArrayNode files = item.putArray("attachments");
        attachmentsOf(message.path("payload"), files);
        return item;
    }

    private static String header(JsonNode message, String name) {
        for (JsonNode header : message.path("payload").path("headers")) {
            if (header.path("name").asText().equalsIgnoreCase(name)) {
                return header.path("value").asText("");
            }
        }
        return "";
    }

    /** The first part of {@code mimeType}, decoded (Gmail sends bodies as base64url). */
    private static String body(JsonNode part, String mimeType) {
        if (part.path("mimeType").asText().equalsIgnoreCase(mimeType) && part.path("filename").asText("").isEmpty()
                && part.path("body").has("data")) {
            try {
                return new String(Base64.getUrlDecoder().decode(part.path("body").path("data").asText()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        for (JsonNode child : part.path("parts")) {
            String found = body(child, mimeType);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return "";
    }

    private static void attachmentsOf(JsonNode part, ArrayNode files) {
        if (!part.path("filename").asText("").isEmpty()) {
            files.addObject().put("fileName", part.path("filename").asText()).put("mimeType", part.path("mimeType").asText())
                    .put("size", part.path("body").path("size").asLong()).put("attachmentId", part.path("body").path("attachmentId").asText(""));
        }
        for (JsonNode child : part.path("parts")) {
            attachmentsOf(child, files);
        }
    }

    /** The same for every attempt of this node on this item, and for no other run, node or item. */
    private static String stableId(NodeRun run, int item) {
        String key = run.writeKey() + ":" + item;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message the operation is about, as a path segment. */
    private static String messageId(NodeRun run, Parameters parameters) {
        return GoogleApi.encoded(required(run, parameters.operation(), "messageId", parameters.messageId()));
    }

    private URI uri(String path) {
        return URI.create(base + "/gmail/v1/users/me" + path);
    }

}
