package io.weft.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps docs/asyncapi.yaml equal to the event records. Regenerate with -Dweft.regenerate-docs=true. */
class AsyncApiDocumentTest {
    private static final Path DOCUMENT = Path.of("../docs/asyncapi.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    @Test
    void publishedDocumentMatchesTheEventRecords() throws IOException {
        JsonNode expected = AsyncApiDocument.build();
        if (Boolean.getBoolean("weft.regenerate-docs") || !Files.exists(DOCUMENT)) {
            Files.createDirectories(DOCUMENT.getParent());
            Files.writeString(DOCUMENT, "# Generated from the contracts module by AsyncApiDocumentTest; do not edit by hand.\n"
                    + YAML.writeValueAsString(expected));
        }

        JsonNode published = YAML.readTree(DOCUMENT.toFile());

        assertThat(published.equals(expected))
                .as("docs/asyncapi.yaml is stale: run ./mvnw -pl contracts test -Dweft.regenerate-docs=true")
                .isTrue();
    }

    @Test
    void everyEventTypeIsAMessageOnItsTopicChannel() {
        JsonNode document = AsyncApiDocument.build();

        for (EventType type : EventType.values()) {
            String name = type.recordClass().getSimpleName();
            assertThat(document.at("/components/messages/" + name + "/name").asText()).isEqualTo(type.ceType());
            String channelId = type.topic().replace("weft.", "").replace('.', '-');
            assertThat(document.at("/channels/" + channelId + "/address").asText()).isEqualTo(type.topic());
            assertThat(document.at("/channels/" + channelId + "/messages/" + name).isMissingNode()).isFalse();
        }
    }
}
