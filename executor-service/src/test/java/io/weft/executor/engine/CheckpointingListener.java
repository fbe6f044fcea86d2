package io.weft.executor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.plan.PlannedNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps what the executor's journal would keep of a run — finished and waiting nodes, recorded calls —
 * so that a test can run the plan again as a resumed run (pass {@link #finished} to the runner).
 */
public final class CheckpointingListener implements RunListener {
    public final Map<String, NodeOutcome> finished = new LinkedHashMap<>();
    public final Map<String, JsonNode> recorded = new LinkedHashMap<>();

    @Override
    public void nodeFinished(PlannedNode node, NodeOutcome outcome) {
        finished.put(node.id(), outcome);
    }

    @Override
    public void nodesWaiting(Map<PlannedNode, Instant> waits, PlannedNode first, boolean untilTime) {
        waits.forEach((node, resumeAt) -> finished.put(node.id(), NodeOutcome.waiting(node.id(), resumeAt)));
    }

    @Override
    public Map<String, JsonNode> recordedCalls(PlannedNode planned) {
        return Map.copyOf(recorded);
    }

    @Override
    public void callFinished(PlannedNode planned, String key, JsonNode result) {
        recorded.put(key, result);
    }
}
