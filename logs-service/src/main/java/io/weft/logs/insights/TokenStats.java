package io.weft.logs.insights;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.logs.api.Params;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Reads {@code token_stats} (a row per tenant, UTC day, workflow, provider and model) for {@link TokensResource}. */
@ApplicationScoped
public class TokenStats {

    public record Count(long inputTokens, long outputTokens, long totalTokens, long calls) {
        Count plus(long input, long output, long moreCalls) {
            return new Count(inputTokens + input, outputTokens + output, totalTokens + input + output, calls + moreCalls);
        }
    }

    public record Day(Instant day, Count tokens) {
    }

    public record Model(String provider, String model, Count tokens) {
    }

    public record Workflow(String workflowId, Count tokens) {
    }

    public record Tokens(Instant from, Instant to, String workflowId, Count total, List<Day> days, List<Model> models,
                         List<Workflow> workflows) {
    }

    private static final Count NONE = new Count(0, 0, 0, 0);

    private final Pool pool;

    TokenStats(Pool pool) {
        this.pool = pool;
    }

    public Uni<Tokens> tokens(UUID tenant, Params.Range range, String workflowId) {
        String workflow = workflowId == null ? "" : " AND workflow_id = $4";
        Tuple parameters = Tuple.of(tenant, range.from(), range.to());
        if (workflowId != null) {
            parameters.addString(workflowId);
        }
        return pool.preparedQuery("SELECT day, workflow_id, provider, model, sum(input_tokens) AS input, sum(output_tokens) AS output,"
                        + " sum(calls) AS calls FROM token_stats WHERE tenant_id = $1 AND day >= $2 AND day < $3" + workflow
                        + " GROUP BY 1, 2, 3, 4")
                .execute(parameters)
                .map(rows -> {
                    Count total = NONE;
                    Map<Instant, Count> days = new TreeMap<>();
                    Map<List<String>, Count> models = new LinkedHashMap<>();
                    Map<String, Count> workflows = new TreeMap<>();
                    for (Row row : rows) {
                        long input = row.getLong("input");
                        long output = row.getLong("output");
                        long calls = row.getLong("calls");
                        total = total.plus(input, output, calls);
                        days.merge(row.getOffsetDateTime("day").toInstant(), NONE.plus(input, output, calls),
                                (a, b) -> a.plus(b.inputTokens(), b.outputTokens(), b.calls()));
                        models.merge(List.of(row.getString("provider"), row.getString("model")), NONE.plus(input, output, calls),
                                (a, b) -> a.plus(b.inputTokens(), b.outputTokens(), b.calls()));
                        workflows.merge(row.getString("workflow_id"), NONE.plus(input, output, calls),
                                (a, b) -> a.plus(b.inputTokens(), b.outputTokens(), b.calls()));
                    }
                    List<Day> byDay = new ArrayList<>();
                    days.forEach((day, count) -> byDay.add(new Day(day, count)));
                    List<Model> byModel = new ArrayList<>();
                    models.forEach((key, count) -> byModel.add(new Model(key.get(0), key.get(1), count)));
                    byModel.sort((a, b) -> Long.compare(b.tokens().totalTokens(), a.tokens().totalTokens()));
                    List<Workflow> byWorkflow = new ArrayList<>();
                    workflows.forEach((id, count) -> byWorkflow.add(new Workflow(id, count)));
                    byWorkflow.sort((a, b) -> Long.compare(b.tokens().totalTokens(), a.tokens().totalTokens()));
                    return new Tokens(range.from().toInstant(), range.to().toInstant(), workflowId, total, byDay, byModel, byWorkflow);
                });
    }
}
