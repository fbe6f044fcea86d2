package io.weft.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Starts the service with its database pointed at a port where nothing listens, as if PostgreSQL
 * were down. Migrations are skipped because they would stop the start-up.
 */
public class DatabaseDownProfile implements QuarkusTestProfile {
    public static final String UNREACHABLE = "127.0.0.1:1";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + UNREACHABLE + "/weft_unreachable",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + UNREACHABLE + "/weft_unreachable",
                "quarkus.flyway.migrate-at-start", "false");
    }
}
