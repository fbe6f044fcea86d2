package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.TypedNodeType;
import io.weft.executor.subworkflows.FinishedRuns;
import io.weft.executor.subworkflows.WorkflowRuns;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Call Workflow Tool ({@code ai.tool.workflow}), a sub-node: when the agent's model calls it, it
 * starts a run of another workflow of the tenant (its active version, admitted as any run is) with
 * {@code input} as the run's one item — {@code $fromAI(...)} in it is what the model fills — and
 * waits for the run to end; the run's result (the items of its last node that put out any) is the
 * tool's answer. The start carries the tool call's idempotency key, so a retried or resumed agent
 * waits for the run it started instead of starting another.
 */
@Singleton
public class WorkflowToolNode extends TypedNodeType<WorkflowToolNode.Parameters> {

    public record Parameters(String workflowId, JsonNode input, String toolDescription, long waitTimeoutMs) {
    }

    private final WorkflowRuns runs;
    private final FinishedRuns finished;

    @Inject
    public WorkflowToolNode(WorkflowRuns runs, FinishedRuns finished) {
        super("ai.tool.workflow", 1, Parameters.class);
        this.runs = runs;
        this.finished = finished;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        if (runs == null || finished == null) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + run.node().name() + "\": this executor cannot start runs");
        }
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < run.items().size(); i++) {
            Parameters parameters = parameters(run, i);
            String workflowId = workflowId(run, parameters);
            String executionId = runs.start(run.tenantId(), workflowId, parameters.input(), run.idempotencyKey() + ":" + i,
                    run.callDepth() + 1);
            out.addAll(finished.await(run.tenantId(), executionId, Duration.ofMillis(parameters.waitTimeoutMs())));
        }
        return NodeOutput.main(out);
    }

    private static String workflowId(NodeRun run, Parameters parameters) {
        String id = parameters.workflowId() == null ? "" : parameters.workflowId().strip();
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": workflowId is not a"
                    + " workflow id: " + (id.length() > 80 ? id.substring(0, 80) + "…" : id));
        }
        if (id.equalsIgnoreCase(run.workflowId())) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": a workflow cannot call"
                    + " itself as a tool (each call would start another run of it)");
        }
        return id;
    }
}
