package io.weft.inference.documents;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.weft.contracts.identity.Tier;
import java.util.Map;

/** How large an uploaded document may be, by the tenant's tier (weft.inference.documents.max-bytes.free|pro|enterprise). */
@ConfigMapping(prefix = "weft.inference.documents")
public interface DocumentLimits {
    Map<String, MemorySize> maxBytes();

    default long maxBytes(Tier tier) {
        MemorySize limit = maxBytes().get(tier.wireName());
        return limit != null ? limit.asLongValue() : maxBytes().get(Tier.FREE.wireName()).asLongValue();
    }
}
