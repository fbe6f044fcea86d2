package io.weft.executor.nodes.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.platform.net.OutboundAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One look of a Gmail Trigger for new messages. The executor keeps nothing between looks: the state
 * comes with the request and goes back with the answer (workflow-service keeps it with the schedule
 * and writes it only once the runs are requested), so a look whose answer is lost is simply made again.
 *
 * <p>The state is when the last complete look began ({@code after}) and the messages seen since a
 * little before it ({@code seen}, with their dates). A look searches from {@value #OVERLAP_SECONDS} s
 * before {@code after} — Gmail's index may show a message some seconds after its date — and leaves
 * out what was seen. A first look (no state) only starts the clock: what was in the mailbox before
 * is not news.
 */
@ApplicationScoped
public class GmailPolls {
    static final long OVERLAP_SECONDS = 120;
    /** Message ids listed per look at most; a mailbox that receives more between two looks is read over several. */
    static final int LISTED_AT_MOST = 500;
    private static final int SEEN_AT_MOST = 2000;

    /** What a look found: the new messages as items, oldest first, and the state to send with the next look. */
    public record Look(List<ObjectNode> messages, ObjectNode state) {
    }

    private final URI base;
    private final OutboundHttp http;
    private final Credentials credentials;
    private final Clock clock;

    @Inject
    GmailPolls(@ConfigProperty(name = "weft.executor.integrations.gmail-url", defaultValue = "https://gmail.googleapis.com") URI base,
               Credentials credentials, Clock clock) {
        this(base, new OutboundHttp(OutboundAddresses.publicOnly()), credentials, clock);
    }

    public GmailPolls(URI base, OutboundHttp http, Credentials credentials, Clock clock) {
        this.base = base;
        this.http = http;
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * Looks for the trigger {@code nodeId} of the tenant's workflow, with its {@code parameters} and
     * the credential {@code credentialId}; {@code state} is what the last look answered (null: none).
     */
    public Look look(String tenantId, String workflowId, String nodeId, JsonNode parameters, String credentialId, JsonNode state) {
        Instant began = clock.instant();
        if (state == null || state.isNull() || !state.path("after").canConvertToLong()) {
            return new Look(List.of(), state(began.getEpochSecond(), WeftJson.mapper().createArrayNode()));
        }
        if (credentialId == null || credentialId.isBlank()) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the Gmail Trigger names no gmailOAuth2 credential");
        }
        String reference = "trigger-poll:" + workflowId;
        Credentials.Resolved credential = credentials.resolve(tenantId, credentialId, reference, nodeId);
        GoogleApi gmail = GoogleApi.of(http, credential, clock, "Gmail", "https://www.googleapis.com/auth/gmail.readonly",
                refused -> credentials.afterRefusal(tenantId, credentialId, reference, nodeId, refused));
        long after = state.path("after").asLong();
        Set<String> seen = new HashSet<>();
        state.path("seen").forEach(entry -> seen.add(entry.path("id").asText()));

        List<String> fresh = newestFirst(gmail, parameters, after - OVERLAP_SECONDS, seen);
        int most = parameters.path("maxMessagesPerPoll").asInt(25);
        List<String> taken = fresh.size() > most ? fresh.subList(fresh.size() - most, fresh.size()) : fresh;
        List<ObjectNode> messages = new ArrayList<>();
        ArrayNode stillSeen = WeftJson.mapper().createArrayNode();
        for (int i = taken.size() - 1; i >= 0; i--) {
            JsonNode message = gmail.get(uri("/messages/" + GoogleApi.encoded(taken.get(i)) + "?format=full"));
            ObjectNode item = GmailNode.read(message);
            long date = message.path("internalDate").asLong(began.toEpochMilli()) / 1000;
            item.put("internalDate", Instant.ofEpochSecond(date).toString());
            messages.add(item);
            stillSeen.addObject().put("id", taken.get(i)).put("at", date);
        }
        // All of them taken: the next look starts from this one. Some left: from the same point, the taken ones seen.
        long nextAfter = taken.size() == fresh.size() ? began.getEpochSecond() : after;
        for (JsonNode entry : state.path("seen")) {
            if (entry.path("at").asLong() >= nextAfter - OVERLAP_SECONDS && stillSeen.size() < SEEN_AT_MOST) {
                stillSeen.add(entry);
            }
        }
        return new Look(messages, state(nextAfter, stillSeen));
    }

    /** The ids of the messages the search finds since {@code since} (epoch seconds) that were not seen, newest first. */
    private List<String> newestFirst(GoogleApi gmail, JsonNode parameters, long since, Set<String> seen) {
        StringBuilder query = new StringBuilder(parameters.path("query").asText("").trim());
        query.append(query.isEmpty() ? "" : " ").append("after:").append(Math.max(0, since));
        StringBuilder filters = new StringBuilder("&q=").append(GoogleApi.encoded(query.toString()));
        parameters.path("labelIds").forEach(label -> filters.append("&labelIds=").append(GoogleApi.encoded(label.asText())));
        if (parameters.path("includeSpamTrash").asBoolean(false)) {
            filters.append("&includeSpamTrash=true");
        }
        List<String> fresh = new ArrayList<>();
        int listed = 0;
        String page = "";
        do {
            JsonNode found = gmail.get(uri("/messages?maxResults=" + GmailNode.PAGE + filters
                    + (page.isEmpty() ? "" : "&pageToken=" + GoogleApi.encoded(page))));
            for (JsonNode message : found.path("messages")) {
                listed++;
                if (!seen.contains(message.path("id").asText())) {
                    fresh.add(message.path("id").asText());
                }
            }
            page = found.path("nextPageToken").asText("");
        } while (!page.isEmpty() && listed < LISTED_AT_MOST);
        return fresh;
    }

    private static ObjectNode state(long after, ArrayNode seen) {
        ObjectNode state = WeftJson.mapper().createObjectNode().put("after", after);
        state.set("seen", seen);
        return state;
    }

    private URI uri(String path) {
        return URI.create(base + "/gmail/v1/users/me" + path);
    }
}
