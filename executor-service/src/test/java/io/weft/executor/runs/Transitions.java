package io.weft.executor.runs;

import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What tests read of the node transitions that execution events carry in batches (contract v2). */
final class Transitions {
    private Transitions() {
    }

    /** Every node transition of the events, in order, each event once (as consumers drop duplicates by sequence). */
    static List<NodeTransition> all(List<ExecutionEvent> events) {
        Set<Long> seen = new HashSet<>();
        return events.stream().filter(event -> seen.add(event.sequence())).flatMap(event -> event.nodes().stream()).toList();
    }

    /**
     * {@code node#attempt} for each attempt that began, in order: a node told as running, or one told
     * only once it had finished (a pure node between two flushes). An attempt that goes on after a
     * wait is told as running again.
     */
    static List<String> startedAttempts(List<ExecutionEvent> events) {
        List<String> started = new ArrayList<>();
        Set<String> running = new HashSet<>();
        for (NodeTransition transition : all(events)) {
            String key = transition.nodeId() + "#" + transition.attempt();
            if (transition.status() == NodeTransition.Status.RUNNING) {
                started.add(key);
                running.add(key);
            } else if (!running.remove(key)) {
                started.add(key);
            }
        }
        return started;
    }

    /** The nodes of {@link #startedAttempts}, without their attempt numbers. */
    static List<String> started(List<ExecutionEvent> events) {
        return startedAttempts(events).stream().map(key -> key.substring(0, key.lastIndexOf('#'))).toList();
    }

    /** The node's first transition with the status. */
    static NodeTransition first(List<ExecutionEvent> events, String nodeId, NodeTransition.Status status) {
        return all(events).stream().filter(t -> t.nodeId().equals(nodeId) && t.status() == status).findFirst()
                .orElseThrow(() -> new AssertionError("no " + status + " transition of " + nodeId + " in " + events));
    }

    /** The last node transition of the events. */
    static NodeTransition last(List<ExecutionEvent> events) {
        List<NodeTransition> all = all(events);
        if (all.isEmpty()) {
            throw new AssertionError("no node transition in " + events);
        }
        return all.get(all.size() - 1);
    }
}
