package io.weft.executor.nodes.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Credentials;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Slack ({@code integration.slack}): posts a message (text and blocks, a thread reply), updates and
 * deletes one, lists channels (every page, up to {@code limit}) or looks a user up by e-mail, with
 * a {@code slackApi} (bot token) or {@code slackOAuth2Api} credential. A message posted or deleted
 * is recorded in the run's checkpoint before the node goes on, so a retried or resumed node does
 * not post it again; each message also carries the attempt's idempotency key in its metadata
 * ({@code event_type: weft_node_run}), for whoever reads the channel's history.
 */
@Singleton
public class SlackNode extends IntegrationNode<SlackNode.Parameters> {
    static final List<String> CREDENTIAL_TYPES = List.of("slackApi", "slackOAuth2Api");
    static final int PAGE = 200;

    public record Parameters(String operation, String channel, String text, JsonNode blocks, String threadTs, Boolean replyBroadcast,
                             String ts, String email, Integer limit, String channelTypes, Boolean excludeArchived,
                             String toolDescription, String approveLabel, String rejectLabel, Integer timeoutMinutes) {

        Parameters withBlocks(JsonNode newBlocks) {
            return new Parameters(operation, channel, text, newBlocks, threadTs, replyBroadcast, ts, email, limit, channelTypes,
                    excludeArchived, toolDescription, approveLabel, rejectLabel, timeoutMinutes);
        }
    }

    private final OutboundHttp http = new OutboundHttp(OutboundAddresses.publicOnly());
    private final URI base;
    private final ApprovalGate approvals;

    @Inject
    public SlackNode(@ConfigProperty(name = "weft.executor.integrations.slack-url", defaultValue = "https://slack.com/api") URI base,
                     Approvals approvals) {
        super("integration.slack", Parameters.class, "Slack", CREDENTIAL_TYPES);
        this.base = base;
        this.approvals = new ApprovalGate(approvals);
    }

    /** Without approvals: send and wait fails (tests and benchmarks of the other operations). */
    public SlackNode(URI base) {
        this(base, null);
    }

    @Override
    public NodeOutput run(NodeRun run) {
        Credentials.Resolved credential = credential(run);
        SlackApi slack = new SlackApi(http, base, token(credential), run.clock(), credential.type().equals("slackOAuth2Api")
                ? refused -> token(credentialAfterRefusal(run, refused)) : null);
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < run.items().size(); i++) {
            Parameters parameters = parameters(run, i);
            int item = i;
            switch (parameters.operation()) {
                case "postMessage" -> out.add(Item.of(run.once("slack:post:" + i, () -> posted(run, slack, parameters, item))));
                case "sendAndWait" -> {
                    return NodeOutput.main(List.of(Item.of(sentAndWaited(run, slack, parameters))));
                }
                case "updateMessage" -> out.add(Item.of(updated(run, slack, parameters)));
                case "deleteMessage" -> out.add(Item.of(run.once("slack:delete:" + i, () -> deleted(run, slack, parameters))));
                case "listChannels" -> channels(slack, parameters).forEach(channel -> out.add(Item.of(channel)));
                case "lookupUserByEmail" -> out.add(Item.of(user(run, slack, parameters)));
                default -> throw invalid(run, "operation " + parameters.operation() + " is not one of Slack's");
            }
        }
        return NodeOutput.main(out);
    }

    private static ObjectNode posted(NodeRun run, SlackApi slack, Parameters parameters, int item) {
        ObjectNode body = message(run, parameters);
        if (present(parameters.threadTs())) {
            body.put("thread_ts", parameters.threadTs());
            if (Boolean.TRUE.equals(parameters.replyBroadcast())) {
                body.put("reply_broadcast", true);
            }
        }
        ObjectNode metadata = body.putObject("metadata").put("event_type", "weft_node_run");
        metadata.putObject("event_payload").put("idempotency_key", run.idempotencyKey() + ":" + item);
        JsonNode answer = slack.post("chat.postMessage", body);
        return sent(answer);
    }

    /**
     * Send and wait (one message per node run, with the first item's parameters): the node's approval
     * is opened with signed links, the message posted once with an approve and a reject button that
     * open them, and the run parks until a click decides or the time limit passes; then one item goes
     * on with {@code approved}, the {@code status} and the approval.
     */
    private ObjectNode sentAndWaited(NodeRun run, SlackApi slack, Parameters parameters) {
        if (approvals == null) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "send and wait is not available in this executor");
        }
        if (!ApprovalGate.woken(run)) {
            String text = required(run, "sendAndWait", "text", parameters.text());
            Approvals.Approval opened = approvals.open(run, text, null, 1, true, null, ApprovalGate.expiresAt(run, run.parameters()), true);
            JsonNode links = opened.view().path("links");
            run.once("slack:sendAndWait", () -> posted(run, slack, parameters.withBlocks(buttons(text, parameters, links)), 0));
            throw ApprovalGate.park(opened);
        }
        return ApprovalGate.decided(approvals.settled(run));
    }

    /** The message with its two link buttons (Block Kit: a section and an actions block). */
    private static JsonNode buttons(String text, Parameters parameters, JsonNode links) {
        var blocks = WeftJson.mapper().createArrayNode();
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", text.length() > 3000 ? text.substring(0, 3000) : text);
        var elements = blocks.addObject().put("type", "actions").putArray("elements");
        ObjectNode approve = elements.addObject().put("type", "button").put("style", "primary").put("action_id", "weft_approve")
                .put("url", links.path("approve").asText());
        approve.putObject("text").put("type", "plain_text").put("text", present(parameters.approveLabel()) ? parameters.approveLabel() : "Approve");
        ObjectNode reject = elements.addObject().put("type", "button").put("style", "danger").put("action_id", "weft_reject")
                .put("url", links.path("reject").asText());
        reject.putObject("text").put("type", "plain_text").put("text", present(parameters.rejectLabel()) ? parameters.rejectLabel() : "Reject");
        return blocks;
    }

    private static ObjectNode updated(NodeRun run, SlackApi slack, Parameters parameters) {
        ObjectNode body = message(run, parameters);
        body.put("ts", required(run, "updateMessage", "ts", parameters.ts()));
        return sent(slack.post("chat.update", body));
    }

    private static ObjectNode deleted(NodeRun run, SlackApi slack, Parameters parameters) {
        ObjectNode body = WeftJson.mapper().createObjectNode()
                .put("channel", required(run, "deleteMessage", "channel", parameters.channel()))
                .put("ts", required(run, "deleteMessage", "ts", parameters.ts()));
        JsonNode answer = slack.post("chat.delete", body);
        return WeftJson.mapper().createObjectNode().put("channel", answer.path("channel").asText()).put("ts", answer.path("ts").asText())
                .put("deleted", true);
    }

    private static ObjectNode message(NodeRun run, Parameters parameters) {
        ObjectNode body = WeftJson.mapper().createObjectNode().put("channel", required(run, parameters.operation(), "channel",
                parameters.channel()));
        boolean blocks = parameters.blocks() != null && !parameters.blocks().isNull();
        if (blocks && !parameters.blocks().isArray()) {
            throw invalid(run, "blocks must be a list of Slack blocks");
        }
        if (!present(parameters.text()) && !blocks) {
            throw invalid(run, parameters.operation() + " needs text or blocks");
        }
        if (present(parameters.text())) {
            body.put("text", parameters.text());
        }
        if (blocks) {
            body.set("blocks", parameters.blocks());
        }
        return body;
    }

    /** What a post or an update gives the next node: where the message is, and the message as Slack keeps it. */
    private static ObjectNode sent(JsonNode answer) {
        ObjectNode item = WeftJson.mapper().createObjectNode().put("channel", answer.path("channel").asText())
                .put("ts", answer.path("ts").asText());
        JsonNode message = answer.path("message");
        if (message.has("thread_ts")) {
            item.put("threadTs", message.path("thread_ts").asText());
        }
        if (!message.isMissingNode()) {
            item.set("message", message);
        }
        return item;
    }

    /** Every page of {@code conversations.list}, following its cursor, until {@code limit} channels. */
    private static List<ObjectNode> channels(SlackApi slack, Parameters parameters) {
        List<ObjectNode> channels = new ArrayList<>();
        String cursor = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", String.valueOf(Math.min(PAGE, parameters.limit() - channels.size())));
            query.put("types", parameters.channelTypes());
            query.put("exclude_archived", String.valueOf(parameters.excludeArchived()));
            if (!cursor.isEmpty()) {
                query.put("cursor", cursor);
            }
            JsonNode page = slack.get("conversations.list", query);
            for (JsonNode channel : page.path("channels")) {
                if (channels.size() < parameters.limit()) {
                    channels.add(channel(channel));
                }
            }
            cursor = page.path("response_metadata").path("next_cursor").asText("");
        } while (!cursor.isEmpty() && channels.size() < parameters.limit());
        return channels;
    }

    private static ObjectNode channel(JsonNode channel) {
        ObjectNode item = WeftJson.mapper().createObjectNode().put("id", channel.path("id").asText())
                .put("name", channel.path("name").asText())
                .put("isPrivate", channel.path("is_private").asBoolean(false))
                .put("isArchived", channel.path("is_archived").asBoolean(false));
        if (channel.has("num_members")) {
            item.put("members", channel.path("num_members").asInt());
        }
        item.put("topic", channel.path("topic").path("value").asText(""));
        item.put("purpose", channel.path("purpose").path("value").asText(""));
        return item;
    }

    private static ObjectNode user(NodeRun run, SlackApi slack, Parameters parameters) {
        String email = required(run, "lookupUserByEmail", "email", parameters.email());
        JsonNode user = slack.get("users.lookupByEmail", Map.of("email", email)).path("user");
        JsonNode profile = user.path("profile");
        return WeftJson.mapper().createObjectNode().put("id", user.path("id").asText()).put("name", user.path("name").asText())
                .put("realName", profile.path("real_name").asText(user.path("real_name").asText("")))
                .put("displayName", profile.path("display_name").asText(""))
                .put("email", profile.path("email").asText(email))
                .put("timeZone", user.path("tz").asText(""))
                .put("isBot", user.path("is_bot").asBoolean(false));
    }

    private static String token(Credentials.Resolved credential) {
        String token = credential.type().equals("slackApi") ? credential.data().path("botToken").asText("")
                : credential.data().path("oauthTokenData").path("accessToken").asText("");
        if (token.isEmpty()) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, false, credential.type().equals("slackApi") ? "the Slack credential has no botToken"
                    : "the Slack OAuth2 credential has no access token yet: connect it first");
        }
        return token;
    }

}
