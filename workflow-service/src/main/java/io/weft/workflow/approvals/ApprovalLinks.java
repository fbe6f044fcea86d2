package io.weft.workflow.approvals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The approve and reject links of an approval that a message carries (send and wait): signed, so
 * that nobody can make one for another approval or decision, and single-use by the approval itself
 * (one decision by link; after it the approval has its outcome). The key is derived from this
 * service's secret, which every replica shares; the links point at the gateway's public
 * {@code /approvals/respond/<token>}.
 */
@ApplicationScoped
public class ApprovalLinks {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** What a valid link says: whose approval, which, and which decision. */
    public record Link(UUID tenant, UUID approvalId, String decision) {
    }

    private final byte[] key;
    private final URI publicUrl;

    ApprovalLinks(@ConfigProperty(name = "weft.service-client.secret") Optional<String> secret,
                  @ConfigProperty(name = "weft.workflow.public-url", defaultValue = "http://127.0.0.1:8080") URI publicUrl) {
        this.key = hmac(secret.filter(value -> !value.isBlank()).orElseThrow(() -> new IllegalStateException(
                "weft.service-client.secret (WEFT_SERVICE_SECRET) is not set; approval links cannot be signed")).getBytes(StandardCharsets.UTF_8),
                "weft approval links v1");
        this.publicUrl = publicUrl;
    }

    /** {@code {approve, reject}}: the two links of the approval. */
    public ObjectNode links(UUID tenant, String approvalId) {
        ObjectNode links = WeftJson.mapper().createObjectNode();
        for (String decision : new String[] {"approve", "reject"}) {
            links.put(decision, publicUrl.toString().replaceAll("/+$", "") + "/approvals/respond/" + token(tenant, approvalId, decision));
        }
        return links;
    }

    /** The link the token is, when it is one this service signed. */
    public Optional<Link> verify(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || token.length() > 400) {
            return Optional.empty();
        }
        try {
            byte[] payload = DECODER.decode(token.substring(0, dot));
            if (!MessageDigest.isEqual(DECODER.decode(token.substring(dot + 1)), hmac(key, new String(payload, StandardCharsets.UTF_8)))) {
                return Optional.empty();
            }
            String[] parts = new String(payload, StandardCharsets.UTF_8).split(" ");
            if (parts.length != 3 || !"approve".equals(parts[2]) && !"reject".equals(parts[2])) {
                return Optional.empty();
            }
            return Optional.of(new Link(UUID.fromString(parts[0]), UUID.fromString(parts[1]), parts[2]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String token(UUID tenant, String approvalId, String decision) {
        String payload = tenant + " " + approvalId + " " + decision;
        return ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(hmac(key, payload));
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
