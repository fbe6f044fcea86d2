package io.weft.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void localInfrastructureCreatesExactlyTheContractTopicsAndTheServicesOwn() throws IOException {
        List<String> configured = Files.readAllLines(Path.of("../deploy/local/topics.conf")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("\\s+")[0])
                .toList();

        assertThat(configured).containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(Topics.ALL.stream(),
                Topics.INTERNAL.stream()).toList());
    }

    @Test
    void everyTopicCarriesAtLeastOneEventType() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::topic).distinct())
                .containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }
}
