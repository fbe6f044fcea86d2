package io.weft.executor.runs;

import io.weft.contracts.events.ExecutionControl;
import io.weft.executor.engine.RunControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The executions this executor is running now, and what reaches each of them from the control topic. */
@ApplicationScoped
public class RunningExecutions {
    private record Running(String tenantId, RunControl control) {
    }

    private final Map<String, Running> running = new ConcurrentHashMap<>();

    /** The new run's control, or null when the execution runs on this executor already (the sweeper and a redelivery may meet). */
    RunControl start(String tenantId, String executionId) {
        RunControl control = new RunControl();
        return running.putIfAbsent(executionId, new Running(tenantId, control)) == null ? control : null;
    }

    void end(String executionId, RunControl control) {
        running.computeIfPresent(executionId, (id, entry) -> entry.control() == control ? null : entry);
    }

    /** Hands a command to the execution if it runs here (and belongs to the command's tenant). */
    void signal(ExecutionControl command) {
        Running entry = running.get(command.executionId());
        if (entry == null || !entry.tenantId().equals(command.tenantId())) {
            return;
        }
        switch (command) {
            case ExecutionControl.Cancel cancel -> entry.control().cancel(cancel.requestedBy(), cancel.reason());
            case ExecutionControl.Pause ignored -> entry.control().pause();
            case ExecutionControl.Resume ignored -> entry.control().resume();
            case ExecutionControl.ApprovalDecided ignored -> {
                // approvals reach waiting executions, which run nowhere
            }
        }
    }

    /** The command the database holds for a running execution (seen by the heartbeat), in case the signal was missed. */
    static void apply(String command, RunControl control) {
        if ("cancel".equals(command)) {
            control.cancel();
        } else if ("pause".equals(command)) {
            control.pause();
        }
    }
}
