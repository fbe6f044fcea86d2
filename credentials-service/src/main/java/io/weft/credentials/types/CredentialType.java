package io.weft.credentials.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A kind of credential: the JSON Schema its data must satisfy; fields marked {@code writeOnly} are
 * secret (stored encrypted, never returned).
 */
public record CredentialType(String type, String displayName, JsonNode schema, Set<String> secretFields) {
    /** OAuth2 tokens, which this service writes into a credential's data (not part of its type's schema); always secret. */
    public static final String TOKENS = "oauthTokenData";

    static CredentialType of(JsonNode descriptor) {
        JsonNode schema = descriptor.path("schema");
        Set<String> secrets = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            if (property.getValue().path("writeOnly").asBoolean(false)) {
                secrets.add(property.getKey());
            }
        }
        return new CredentialType(descriptor.path("type").asText(), descriptor.path("displayName").asText(), schema, Set.copyOf(secrets));
    }

    /** The data without its secret fields: what may be shown. */
    public ObjectNode publicPart(JsonNode data) {
        ObjectNode shown = WeftJson.mapper().createObjectNode();
        data.properties().forEach(field -> {
            if (!secretFields.contains(field.getKey()) && !TOKENS.equals(field.getKey())) {
                shown.set(field.getKey(), field.getValue());
            }
        });
        return shown;
    }

    /** The secret fields the data holds (names only); {@code oauthTokenData} once an OAuth2 credential is connected. */
    public Set<String> secretsSet(JsonNode data) {
        Set<String> set = new LinkedHashSet<>();
        if (data.has(TOKENS)) {
            set.add(TOKENS);
        }
        for (String field : secretFields) {
            if (data.hasNonNull(field)) {
                set.add(field);
            }
        }
        return set;
    }
}
