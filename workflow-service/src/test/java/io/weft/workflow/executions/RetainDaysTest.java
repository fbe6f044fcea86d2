package io.weft.workflow.executions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetainDaysTest {

    @Test
    void theExecutorKeepsWholeDaysRoundedUpAndAtLeastOne() {
        assertThat(Executors.retainDays(Duration.ofDays(7))).isEqualTo(7);
        assertThat(Executors.retainDays(Duration.ofDays(7).plusHours(12))).isEqualTo(8);
        assertThat(Executors.retainDays(Duration.ofHours(12))).isEqualTo(1);
        assertThat(Executors.retainDays(Duration.ZERO)).isEqualTo(1);
    }
}
