package io.weft.executor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.Join;
import io.weft.contracts.plan.NodePolicy;
import io.weft.contracts.plan.PlannedNode;
import io.weft.contracts.workflow.BackoffKind;
import io.weft.contracts.workflow.Connection;
import io.weft.contracts.workflow.OnError;
import io.weft.contracts.workflow.PortRef;
import io.weft.contracts.workflow.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plans as compiler-service makes them, built by hand for engine tests: nodes are given in a
 * topological order, joins follow the compiler's rule (trigger, several input ports = all, else any),
 * and a node connected from a port named {@code ai_*} is a sub-node.
 */
public final class TestPlans {
    private record Spec(String id, String name, String type, JsonNode parameters, OnError onError, boolean disabled) {
    }

    private final List<Spec> nodes = new ArrayList<>();
    private final Map<String, String> policies = new java.util.HashMap<>();
    private final List<Connection> connections = new ArrayList<>();
    private final Map<String, Map<String, io.weft.contracts.workflow.CredentialRef>> credentials = new java.util.HashMap<>();
    private io.weft.contracts.workflow.WorkflowSettings settings;

    public static TestPlans plan() {
        return new TestPlans();
    }

    public TestPlans node(String id, String type, String parameters) {
        return node(id, type, parameters, OnError.FAIL_EXECUTION, false);
    }

    public TestPlans node(String id, String type, String parameters, OnError onError, boolean disabled) {
        try {
            String name = Character.toUpperCase(id.charAt(0)) + id.substring(1);
            nodes.add(new Spec(id, name, type, WeftJson.mapper().readTree(parameters), onError, disabled));
        } catch (Exception e) {
            throw new IllegalArgumentException(parameters, e);
        }
        return this;
    }

    /** A retry policy as JSON for a node, or {@code timeout:<ms>} for a per-attempt timeout. */
    public TestPlans withPolicy(String nodeId, String policy) {
        policies.put(nodeId, policy);
        return this;
    }

    /** A node's credential slot (named by the credential's type) referring to a stored credential. */
    public TestPlans withCredential(String nodeId, String type, String credentialId) {
        credentials.computeIfAbsent(nodeId, id -> new java.util.HashMap<>())
                .put(type, new io.weft.contracts.workflow.CredentialRef(credentialId, null));
        return this;
    }

    /** The workflow's execution timeout. */
    public TestPlans withExecutionTimeout(long millis) {
        settings = new io.weft.contracts.workflow.WorkflowSettings(null, null, null, millis, null);
        return this;
    }

    /** What the workflow does with a suspected prompt injection. */
    public TestPlans withPromptInjection(io.weft.contracts.workflow.WorkflowSettings.PromptInjection mode) {
        settings = new io.weft.contracts.workflow.WorkflowSettings(null, null, null, settings == null ? null : settings.executionTimeoutMs(),
                null, mode);
        return this;
    }

    public TestPlans connect(String from, String fromPort, String to, String toPort) {
        connections.add(new Connection(new PortRef(from, fromPort), new PortRef(to, toPort)));
        return this;
    }

    public ExecutionPlan build() {
        RetryPolicy noRetry = new RetryPolicy(1, BackoffKind.EXPONENTIAL, 1000L, 2.0, 60_000L, true, List.of());
        List<PlannedNode> planned = new ArrayList<>();
        List<String> triggers = new ArrayList<>();
        for (Spec spec : nodes) {
            List<Connection> in = connections.stream().filter(c -> c.to().node().equals(spec.id())).toList();
            List<Connection> out = connections.stream().filter(c -> c.from().node().equals(spec.id())).toList();
            boolean trigger = spec.type().startsWith("trigger.");
            if (trigger && !spec.disabled()) {
                triggers.add(spec.id());
            }
            Join join = trigger ? Join.TRIGGER : spec.type().equals("core.merge") ? Join.ALL : Join.ANY;
            String policy = policies.get(spec.id());
            RetryPolicy retry = noRetry;
            long timeout = 300_000;
            if (policy != null && policy.startsWith("timeout:")) {
                timeout = Long.parseLong(policy.substring("timeout:".length()));
            } else if (policy != null) {
                try {
                    retry = WeftJson.mapper().readValue(policy, RetryPolicy.class);
                } catch (Exception e) {
                    throw new IllegalArgumentException(policy, e);
                }
            }
            planned.add(new PlannedNode(spec.id(), spec.name(), spec.type(), 1, spec.parameters(),
                    credentials.getOrDefault(spec.id(), Map.of()),
                    new NodePolicy(retry, timeout, spec.onError()), join, in, out, spec.disabled(),
                    out.stream().anyMatch(c -> c.from().port().startsWith("ai_"))));
        }
        ExecutionPlan plan = new ExecutionPlan(ExecutionPlan.FORMAT_VERSION, null, "Test", triggers, planned, settings);
        return plan.withHash(io.weft.contracts.json.CanonicalJson.sha256(plan));
    }
}
