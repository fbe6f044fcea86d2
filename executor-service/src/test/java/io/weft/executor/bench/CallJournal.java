package io.weft.executor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.engine.RunListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the executor's journal does with each recorded call, for benchmarks: keep it (here in memory). */
final class CallJournal implements RunListener {
    final Map<String, JsonNode> calls = new ConcurrentHashMap<>();

    @Override
    public void callFinished(PlannedNode node, String key, JsonNode result) {
        calls.put(key, result);
    }
}
