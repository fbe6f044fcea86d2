package io.weft.workflow.executions;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admission without a tenant lock stays exact (issue 18): many admissions of one tenant at once, each
 * on a connection of its own against real PostgreSQL, started together at a barrier, never queue
 * more runs than the limit, lose none (each is queued, held or refused, and its row says so), and
 * keep the slots in step with the runs as they end, wait and resume.
 */
@QuarkusTest
class AdmissionSlotsTest {
    private static final int CALLERS = 32;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    private final UUID tenant = UUID.randomUUID();
    private final List<Connection> connections = new ArrayList<>();
    private ExecutorService callers;

    @BeforeEach
    void open() throws SQLException {
        for (int i = 0; i < CALLERS; i++) {
            connections.add(DriverManager.getConnection(url, user, password));
        }
        callers = java.util.concurrent.Executors.newFixedThreadPool(CALLERS);
    }

    @AfterEach
    void close() throws Exception {
        callers.shutdownNow();
        for (Connection connection : connections) {
            connection.close();
        }
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            for (String table : List.of("pending_runs", "executions", "run_slots")) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?")) {
                    delete.setObject(1, tenant);
                    delete.executeUpdate();
                }
            }
        }
    }

    private record Admission(String executionId, String decision) {
    }

    /** One admit_run per caller, all released at once by a barrier. */
    private List<Admission> admitTogether(String workflowId, int tenantLimit, Integer workflowLimit, boolean queue, int heldLimit)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(CALLERS);
        List<Future<Admission>> answers = new ArrayList<>();
        for (Connection connection : connections) {
            Callable<Admission> admission = () -> {
                String executionId = UUID.randomUUID().toString();
                start.await(10, TimeUnit.SECONDS);
                return new Admission(executionId, admit(connection, executionId, workflowId, tenantLimit, workflowLimit, queue, heldLimit));
            };
            answers.add(callers.submit(admission));
        }
        List<Admission> admissions = new ArrayList<>();
        for (Future<Admission> answer : answers) {
            admissions.add(answer.get(30, TimeUnit.SECONDS));
        }
        return admissions;
    }

    private String admit(Connection connection, String executionId, String workflowId, int tenantLimit, Integer workflowLimit,
                         boolean queue, int heldLimit) throws SQLException {
        try (PreparedStatement admit = connection.prepareStatement(
                "SELECT admit_run(?, ?, ?, 1, 'h', 'MANUAL', 'user-1', NULL, ?, ?, ?, ?, ?, ?::jsonb)")) {
            admit.setObject(1, tenant);
            admit.setString(2, executionId);
            admit.setString(3, workflowId);
            admit.setTimestamp(4, Timestamp.from(Instant.now()));
            admit.setInt(5, tenantLimit);
            admit.setObject(6, workflowLimit, java.sql.Types.INTEGER);
            admit.setBoolean(7, queue);
            admit.setInt(8, heldLimit);
            admit.setString(9, "{\"executionId\":\"" + executionId + "\"}");
            try (ResultSet decision = admit.executeQuery()) {
                decision.next();
                return decision.getString(1);
            }
        }
    }

    private static Map<String, Long> count(List<Admission> admissions) {
        Map<String, Long> decisions = new HashMap<>();
        admissions.forEach(admission -> decisions.merge(admission.decision(), 1L, Long::sum));
        return decisions;
    }

    private long number(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement query = connections.get(0).prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private void update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connections.get(0).prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private long running() throws SQLException {
        return number("SELECT count(*) FROM executions WHERE tenant_id = ? AND status IN ('queued', 'running')", tenant);
    }

    /** Every queued or running run holds one slot of its tenant, and no slot is held by anything else. */
    private void assertSlotsMatchTheRuns() throws SQLException {
        assertThat(number("SELECT count(*) FROM run_slots WHERE tenant_id = ? AND scope = '' AND execution_id IS NOT NULL", tenant))
                .as("tenant slots held").isEqualTo(running());
        assertThat(number("""
                SELECT count(*) FROM executions e JOIN run_slots s
                  ON s.tenant_id = e.tenant_id AND s.scope = '' AND s.slot = e.slot AND s.execution_id = e.id
                WHERE e.tenant_id = ? AND e.status IN ('queued', 'running')""", tenant))
                .as("each running run holds the slot its row names").isEqualTo(running());
    }

    @Test
    void parallelAdmissionsAtTheLimitQueueExactlyTheLimitAndRefuseTheRest() throws Exception {
        List<Admission> admissions = admitTogether("wf", 5, null, false, 0);

        assertThat(count(admissions)).containsOnly(Map.entry("queued", 5L), Map.entry("tenant-full", (long) CALLERS - 5));
        assertThat(running()).isEqualTo(5);
        assertThat(number("SELECT count(*) FROM executions WHERE tenant_id = ?", tenant)).as("refused runs leave no row").isEqualTo(5);
        assertSlotsMatchTheRuns();
    }

    /**
     * An admission whose transaction is still open does not make the tenant's next one wait (a tenant
     * lock did). The tenant's first run created its slots: until that commits, others wait for it.
     */
    @Test
    void anAdmissionDoesNotWaitForAnotherOfItsTenantStillUnderWay() throws Exception {
        Connection slow = connections.get(0);
        Connection next = connections.get(1);
        assertThat(admit(next, UUID.randomUUID().toString(), "wf", 5, null, false, 0)).isEqualTo("queued");
        slow.setAutoCommit(false);
        try {
            assertThat(admit(slow, UUID.randomUUID().toString(), "wf", 5, null, false, 0)).isEqualTo("queued");
            try (var timeout = next.createStatement()) {
                timeout.execute("SET statement_timeout = '3s'");
            }
            assertThat(admit(next, UUID.randomUUID().toString(), "wf", 5, null, false, 0)).isEqualTo("queued");
        } finally {
            slow.rollback();
            slow.setAutoCommit(true);
        }
        assertThat(running()).as("the rolled-back admission left nothing").isEqualTo(2);
        assertSlotsMatchTheRuns();
    }

    @Test
    void runsEndingWhileOthersAreAdmittedNeverLetMoreThanTheLimitRun() throws Exception {
        int limit = 4;
        long queued = 0;
        for (int round = 0; round < 8; round++) {
            List<String> runs = new ArrayList<>();
            try (PreparedStatement query = connections.get(0).prepareStatement(
                    "SELECT id FROM executions WHERE tenant_id = ? AND status IN ('queued', 'running')")) {
                query.setObject(1, tenant);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        runs.add(rows.getString(1));
                    }
                }
            }
            // Some runs start, some end, while the callers admit.
            Future<?> churn = callers.submit(() -> {
                try (Connection connection = DriverManager.getConnection(url, user, password)) {
                    for (String run : runs) {
                        String status = ThreadLocalRandom.current().nextBoolean() ? "running" : "succeeded";
                        try (PreparedStatement end = connection.prepareStatement(
                                "UPDATE executions SET status = ? WHERE tenant_id = ? AND id = ?")) {
                            end.setString(1, status);
                            end.setObject(2, tenant);
                            end.setString(3, run);
                            end.executeUpdate();
                        }
                    }
                }
                return null;
            });
            List<Admission> admissions = admitTogether("wf", limit, null, false, 0);
            churn.get(30, TimeUnit.SECONDS);
            queued += count(admissions).getOrDefault("queued", 0L);

            assertThat(count(admissions).keySet()).isSubsetOf("queued", "tenant-full");
            assertThat(running()).as("round %d", round).isLessThanOrEqualTo(limit);
            assertSlotsMatchTheRuns();
        }
        assertThat(number("SELECT count(*) FROM executions WHERE tenant_id = ?", tenant)).as("every queued run has its row").isEqualTo(queued);
    }

    @Test
    void runsBeyondTheLimitAreHeldInTheirOrderAndReleasedIntoFreedSlots() throws Exception {
        List<Admission> admissions = admitTogether("wf", 3, 2, true, 100);

        assertThat(count(admissions)).containsOnly(Map.entry("queued", 2L), Map.entry("pending", (long) CALLERS - 2));
        assertThat(number("SELECT count(*) FROM pending_runs WHERE tenant_id = ?", tenant)).isEqualTo(CALLERS - 2);
        assertThat(number("SELECT count(*) FROM executions WHERE tenant_id = ? AND status = 'pending'", tenant)).isEqualTo(CALLERS - 2);
        assertThat(number("SELECT count(*) FROM run_slots WHERE tenant_id = ? AND scope = 'wf' AND execution_id IS NOT NULL", tenant))
                .as("workflow slots held").isEqualTo(2);

        // With held runs waiting, a new run of the workflow does not overtake them even when a slot is free.
        update("UPDATE executions SET status = 'succeeded' WHERE tenant_id = ? AND status = 'queued'", tenant);
        assertThat(admit(connections.get(0), UUID.randomUUID().toString(), "wf", 3, 2, true, 100)).isEqualTo("pending");
        // A run of another workflow takes a free slot of the tenant.
        assertThat(admit(connections.get(0), UUID.randomUUID().toString(), "other", 3, null, true, 100)).isEqualTo("queued");
        assertSlotsMatchTheRuns();
    }

    @Test
    void aRunThatWaitsLetsItsSlotGoAndOneResumedBeyondTheLimitHoldsAdmissionsBackUntilItEnds() throws Exception {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String third = UUID.randomUUID().toString();
        Connection connection = connections.get(0);
        assertThat(admit(connection, first, "wf", 2, null, false, 0)).isEqualTo("queued");
        assertThat(admit(connection, second, "wf", 2, null, false, 0)).isEqualTo("queued");
        assertThat(admit(connection, third, "wf", 2, null, false, 0)).isEqualTo("tenant-full");

        update("UPDATE executions SET status = 'waiting' WHERE tenant_id = ? AND id = ?", tenant, first);
        assertThat(admit(connection, third, "wf", 2, null, false, 0)).as("the waiting run's slot").isEqualTo("queued");

        // The waiting run resumes: it is never held back, so it runs beyond the limit on a slot of its own.
        update("UPDATE executions SET status = 'running' WHERE tenant_id = ? AND id = ?", tenant, first);
        assertThat(running()).isEqualTo(3);
        assertSlotsMatchTheRuns();
        update("UPDATE executions SET status = 'succeeded' WHERE tenant_id = ? AND id = ?", tenant, second);
        assertThat(admit(connection, UUID.randomUUID().toString(), "wf", 2, null, false, 0))
                .as("two run still: the limit").isEqualTo("tenant-full");

        update("DELETE FROM executions WHERE tenant_id = ? AND id = ?", tenant, first);
        assertThat(admit(connection, UUID.randomUUID().toString(), "wf", 2, null, false, 0)).isEqualTo("queued");
        assertSlotsMatchTheRuns();
    }
}
