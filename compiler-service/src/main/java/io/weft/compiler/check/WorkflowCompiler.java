package io.weft.compiler.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.compiler.catalog.NodeTypes;
import io.weft.compiler.catalog.NodeTypes.NodeTypeEntry;
import io.weft.contracts.compile.Diagnostic;
import io.weft.contracts.compile.DiagnosticCode;
import io.weft.contracts.expressions.Expressions;
import io.weft.contracts.expressions.FromAi;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.contracts.nodes.PortType;
import io.weft.contracts.workflow.Connection;
import io.weft.contracts.workflow.CredentialRef;
import io.weft.contracts.workflow.NodeDefinition;
import io.weft.contracts.workflow.OnError;
import io.weft.contracts.workflow.SchemaViolation;
import io.weft.contracts.workflow.WorkflowDefinition;
import io.weft.contracts.workflow.WorkflowDefinitionSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a workflow definition against the node catalog and, when nothing is wrong, turns it into
 * an execution plan. Pure: no I/O, safe to share between threads.
 */
public final class WorkflowCompiler {
    /** The implicit output of every non-trigger node, used when its {@code onError} is {@code errorOutput}. */
    public static final String ERROR_PORT = "error";

    private final PlanBuilder plans;

    public WorkflowCompiler(Duration defaultNodeTimeout) {
        this.plans = new PlanBuilder(defaultNodeTimeout);
    }

    public CompileOutcome compile(JsonNode document, NodeTypes types) {
        List<SchemaViolation> violations = WorkflowDefinitionSchema.validate(document);
        if (!violations.isEmpty()) {
            return new CompileOutcome(violations.stream().map(violation -> schemaDiagnostic(document, violation)).toList(),
                    null, List.of());
        }
        WorkflowDefinition definition = WeftJson.mapper().convertValue(document, WorkflowDefinition.class);
        Run run = new Run(definition, types);
        run.check();
        if (!run.compiles()) {
            return new CompileOutcome(run.diagnostics, null, run.credentials);
        }
        return new CompileOutcome(run.diagnostics, plans.build(definition, run.entries, run.edges, run.order), run.credentials);
    }

    private static Diagnostic schemaDiagnostic(JsonNode document, SchemaViolation violation) {
        String nodeId = null;
        if (violation.pointer().startsWith("/nodes/")) {
            String[] parts = violation.pointer().split("/");
            if (parts.length > 2 && parts[2].chars().allMatch(Character::isDigit) && parts[2].length() < 6) {
                JsonNode id = document.path("nodes").path(Integer.parseInt(parts[2])).path("id");
                nodeId = id.isTextual() ? id.asText() : null;
            }
        }
        return Diagnostic.error(DiagnosticCode.SCHEMA_VIOLATION, nodeId, violation.pointer(), violation.message(),
                "see the workflow definition schema: /schemas/workflow-definition.schema.json");
    }

    /** A connection that survived the checks, with its ends resolved to node indexes and the type of its ports. */
    record Edge(int connectionIndex, Connection connection, int from, int to, PortType type) {
    }

    /** The state of one compilation. */
    private static final class Run {
        final WorkflowDefinition definition;
        final NodeTypes types;
        final List<NodeDefinition> nodes;
        final List<Diagnostic> diagnostics = new ArrayList<>();
        final List<CredentialUse> credentials = new ArrayList<>();
        final Map<String, Integer> indexById = new HashMap<>();
        final Map<String, Integer> indexByName = new HashMap<>();
        final NodeTypeEntry[] entries;
        final List<Edge> edges = new ArrayList<>();
        /** Nodes with a connection arriving that was already reported as wrong: no second complaint about their inputs. */
        final Set<Integer> brokenConnectionInto = new HashSet<>();
        final Graph graph;
        /** Nodes attached to a root through an ai_* port: called by the root, never scheduled. */
        final BitSet subNodes = new BitSet();
        /** the sub-nodes attached through an ai_tool input: their $fromAI(...) values come from the agent's model */
        final BitSet tools = new BitSet();
        List<Integer> order;

        Run(WorkflowDefinition definition, NodeTypes types) {
            this.definition = definition;
            this.types = types;
            this.nodes = definition.nodes();
            this.entries = new NodeTypeEntry[nodes.size()];
            this.graph = new Graph(nodes.size());
        }

        boolean compiles() {
            return diagnostics.stream().noneMatch(d -> d.severity() == io.weft.contracts.compile.Severity.ERROR);
        }

        void check() {
            nodes();
            connections();
            subNodes();
            triggers();
            requiredInputs();
            List<List<Integer>> cycles = graph.cycles();
            cycles.forEach(this::cycle);
            if (cycles.isEmpty()) {
                order = graph.topologicalOrder();
                reachability();
            }
            BitSet[] ancestors = order == null ? null : rootsAncestors(graph.ancestors(order));
            if (ancestors != null) {
                streamingResponses(ancestors);
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (entries[i] != null) {
                    JsonNode parameters = ParameterCheck.emptyIfAbsent(nodes.get(i).parameters());
                    ParameterCheck.check(nodes.get(i).id(), i, parameters, entries[i], diagnostics);
                    expressions(i, parameters, Pointers.child(Pointers.node(i), "parameters"), ancestors);
                    credentials(i);
                }
            }
        }

        private void nodes() {
            for (int i = 0; i < nodes.size(); i++) {
                NodeDefinition node = nodes.get(i);
                if (indexById.putIfAbsent(node.id(), i) != null) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.DUPLICATE_NODE_ID, node.id(), Pointers.child(Pointers.node(i), "id"),
                            "node id " + node.id() + " is used by more than one node", "give every node its own id"));
                }
                if (indexByName.putIfAbsent(node.name(), i) != null) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.DUPLICATE_NODE_NAME, node.id(), Pointers.child(Pointers.node(i), "name"),
                            "node name \"" + node.name() + "\" is used by more than one node",
                            "names must be unique because expressions refer to nodes by name"));
                }
                entries[i] = types.find(node.type(), node.typeVersion()).orElse(null);
                if (entries[i] == null) {
                    List<Integer> versions = types.versions(node.type());
                    if (versions.isEmpty()) {
                        diagnostics.add(Diagnostic.error(DiagnosticCode.UNKNOWN_NODE_TYPE, node.id(), Pointers.child(Pointers.node(i), "type"),
                                "there is no node type " + node.type(), "GET /api/nodes lists the node types"));
                    } else {
                        diagnostics.add(Diagnostic.error(DiagnosticCode.UNKNOWN_TYPE_VERSION, node.id(),
                                Pointers.child(Pointers.node(i), "typeVersion"),
                                node.type() + " has no version " + node.typeVersion(),
                                "available versions: " + versions.stream().map(String::valueOf).collect(Collectors.joining(", "))));
                    }
                }
            }
        }

        private void connections() {
            Set<Connection> seen = new HashSet<>();
            List<Connection> connections = definition.connections();
            for (int c = 0; c < connections.size(); c++) {
                Connection connection = connections.get(c);
                String pointer = Pointers.connection(c);
                Integer from = indexById.get(connection.from().node());
                Integer to = indexById.get(connection.to().node());
                if (from == null || to == null) {
                    String missing = from == null ? connection.from().node() : connection.to().node();
                    diagnostics.add(Diagnostic.error(DiagnosticCode.UNKNOWN_CONNECTION_NODE, missing,
                            pointer + (from == null ? "/from/node" : "/to/node"),
                            "connection " + c + " names node " + missing + ", which is not in the workflow", null));
                    continue;
                }
                if (!seen.add(connection)) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.DUPLICATE_CONNECTION, connection.from().node(), pointer,
                            "connection " + c + " repeats an earlier connection from " + describe(connection), "delete one of them"));
                    continue;
                }
                if (entries[from] == null || entries[to] == null) {
                    brokenConnectionInto.add(to);
                    graph.connect(from, to); // ports of an unknown type cannot be checked; keep the flow for reachability
                    continue;
                }
                PortDescriptor out = outputPort(from, connection.from().port(), pointer);
                PortDescriptor in = inputPort(to, connection.to().port(), pointer);
                if (out == null || in == null) {
                    brokenConnectionInto.add(to);
                    continue;
                }
                if (out.type() != in.type()) {
                    brokenConnectionInto.add(to);
                    diagnostics.add(Diagnostic.error(DiagnosticCode.PORT_TYPE_MISMATCH, connection.to().node(), pointer,
                            "connection " + c + " joins an output of type " + wire(out) + " to an input of type " + wire(in), "connect ports of the same type"));
                    continue;
                }
                edges.add(new Edge(c, connection, from, to, out.type()));
                graph.connect(from, to);
            }
        }

        private PortDescriptor outputPort(int node, String port, String pointer) {
            NodeTypeEntry type = entries[node];
            if (type == null) {
                return null;
            }
            NodeDefinition definition = nodes.get(node);
            if (ERROR_PORT.equals(port) && !type.descriptor().trigger()) {
                if (definition.onError() != OnError.ROUTE_TO_ERROR_OUTPUT) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.ERROR_OUTPUT_NOT_ENABLED, definition.id(), pointer + "/from/port",
                            "node " + definition.id() + " sends nothing to its error output because its onError is not errorOutput",
                            "set \"onError\": \"errorOutput\" on node " + definition.id()));
                    return null;
                }
                return new PortDescriptor(ERROR_PORT, PortType.MAIN, "Error", false);
            }
            PortDescriptor descriptor = type.outputs().get(port);
            if (descriptor == null) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.UNKNOWN_OUTPUT_PORT, definition.id(), pointer + "/from/port",
                        definition.type() + " has no output " + port, "outputs: " + portNames(type.outputs().keySet(),
                                !type.descriptor().trigger())));
            }
            return descriptor;
        }

        private PortDescriptor inputPort(int node, String port, String pointer) {
            NodeTypeEntry type = entries[node];
            if (type == null) {
                return null;
            }
            NodeDefinition definition = nodes.get(node);
            if (type.descriptor().trigger()) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.TRIGGER_HAS_INPUT, definition.id(), pointer + "/to",
                        "node " + definition.id() + " is a trigger; nothing can connect into it", "connect from the trigger instead"));
                return null;
            }
            PortDescriptor descriptor = type.inputs().get(port);
            if (descriptor == null) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.UNKNOWN_INPUT_PORT, definition.id(), pointer + "/to/port",
                        definition.type() + " has no input " + port, "inputs: " + portNames(type.inputs().keySet(), false)));
            }
            return descriptor;
        }

        private void triggers() {
            boolean any = false;
            for (int i = 0; i < nodes.size(); i++) {
                any |= entries[i] != null && entries[i].descriptor().trigger() && !nodes.get(i).disabled();
            }
            boolean unknownTypes = java.util.Arrays.stream(entries).anyMatch(java.util.Objects::isNull);
            if (!any && !unknownTypes) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.NO_TRIGGER, null, "/nodes",
                        "the workflow has no enabled trigger, so nothing could start it",
                        "add a Manual, Webhook or Schedule Trigger"));
            }
        }

        private void requiredInputs() {
            Map<Integer, Set<String>> connected = new HashMap<>();
            for (Edge edge : edges) {
                connected.computeIfAbsent(edge.to(), node -> new HashSet<>()).add(edge.connection().to().port());
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (entries[i] == null) {
                    continue;
                }
                for (PortDescriptor port : entries[i].descriptor().inputs()) {
                    if (subNodes.get(i) && port.type() == PortType.MAIN) {
                        continue; // a sub-node's items come from its root's call
                    }
                    if (port.required() && !connected.getOrDefault(i, Set.of()).contains(port.name())
                            && !brokenConnectionInto.contains(i) && !duplicate(i)) {
                        diagnostics.add(Diagnostic.error(DiagnosticCode.REQUIRED_INPUT_UNCONNECTED, nodes.get(i).id(), Pointers.node(i),
                                "input " + port.name() + " of node " + nodes.get(i).id() + " is not connected",
                                "connect a node's output to it, or delete the node"));
                    }
                }
            }
        }

        /**
         * Finds the sub-nodes (a node with a connection out of an ai_* port) and checks how they are
         * wired: no main connections of their own, and at most one per root input that takes one.
         */
        private void subNodes() {
            Map<String, List<Edge>> attachedAt = new java.util.LinkedHashMap<>();
            for (Edge edge : edges) {
                if (edge.type().attachesSubNode()) {
                    subNodes.set(edge.from());
                    if (edge.type() == PortType.AI_TOOL) {
                        tools.set(edge.from());
                    }
                    attachedAt.computeIfAbsent(edge.to() + "/" + edge.connection().to().port(), at -> new ArrayList<>()).add(edge);
                }
            }
            for (Edge edge : edges) {
                if (edge.type() == PortType.MAIN && (subNodes.get(edge.from()) || subNodes.get(edge.to()))) {
                    int subNode = subNodes.get(edge.from()) ? edge.from() : edge.to();
                    diagnostics.add(Diagnostic.error(DiagnosticCode.SUB_NODE_IN_FLOW, nodes.get(subNode).id(),
                            Pointers.connection(edge.connectionIndex()),
                            "node " + nodes.get(subNode).id() + " is attached to " + roots(subNode) + " as a sub-node, so it runs only when"
                                    + " called; it cannot also take items through connection " + edge.connectionIndex() + " (" + describe(edge.connection()) + ")",
                            "delete the main connection, or use another node for the flow"));
                }
            }
            for (List<Edge> attached : attachedAt.values()) {
                Edge first = attached.get(0);
                if (attached.size() > 1 && !first.type().takesMany()) {
                    String root = nodes.get(first.to()).id();
                    diagnostics.add(Diagnostic.error(DiagnosticCode.TOO_MANY_SUB_NODES, root, Pointers.connection(attached.get(1).connectionIndex()),
                            "node " + root + " takes one " + wire(first.type()) + " on input " + first.connection().to().port() + "; "
                                    + attached.size() + " are attached: "
                                    + attached.stream().map(edge -> nodes.get(edge.from()).id()).collect(Collectors.joining(", ")),
                            "keep one of them"));
                }
            }
            for (int i = 0; i < nodes.size(); i++) {
                NodeTypeEntry type = entries[i];
                if (type != null && !subNodes.get(i) && !type.descriptor().outputs().isEmpty() && type.descriptor().inputs().isEmpty()
                        && !type.descriptor().trigger() && type.descriptor().outputs().stream().allMatch(port -> port.type().attachesSubNode())) {
                    diagnostics.add(Diagnostic.warning(DiagnosticCode.SUB_NODE_NOT_ATTACHED, nodes.get(i).id(), Pointers.node(i),
                            "node " + nodes.get(i).id() + " (" + nodes.get(i).type() + ") is attached to no node, so it is never used",
                            "connect its " + wire(type.descriptor().outputs().get(0).type()) + " output to a node that takes one"));
                }
            }
        }

        /** Respond to Webhook nodes that stream, with no webhook call to stream to or no text to stream before them. */
        private void streamingResponses(BitSet[] ancestors) {
            for (int i = 0; i < nodes.size(); i++) {
                NodeDefinition node = nodes.get(i);
                if (!"core.respondToWebhook".equals(node.type()) || node.disabled() || ancestors[i] == null
                        || !ParameterCheck.emptyIfAbsent(node.parameters()).path("stream").asBoolean(false)) {
                    continue;
                }
                boolean answersACall = false;
                boolean textStreams = false;
                for (int before = ancestors[i].nextSetBit(0); before >= 0; before = ancestors[i].nextSetBit(before + 1)) {
                    NodeDefinition upstream = nodes.get(before);
                    JsonNode parameters = ParameterCheck.emptyIfAbsent(upstream.parameters());
                    answersACall |= "trigger.webhook".equals(upstream.type()) && !upstream.disabled()
                            && "usingRespondNode".equals(parameters.path("respond").asText());
                    textStreams |= !upstream.disabled() && parameters.path("streamTokens").asBoolean(false);
                }
                String pointer = Pointers.child(Pointers.child(Pointers.node(i), "parameters"), "stream");
                if (!answersACall) {
                    diagnostics.add(Diagnostic.warning(DiagnosticCode.STREAMING_RESPONSE_UNUSED, node.id(), pointer,
                            "node " + node.id() + " streams its answer, but no Webhook Trigger before it responds using a Respond to"
                                    + " Webhook node, so no call waits for the stream",
                            "set the trigger's respond to usingRespondNode, or turn stream off"));
                } else if (!textStreams) {
                    diagnostics.add(Diagnostic.warning(DiagnosticCode.STREAMING_RESPONSE_UNUSED, node.id(), pointer,
                            "node " + node.id() + " streams its answer, but no node before it streams its text (streamTokens), so the"
                                    + " stream would carry only the answer",
                            "turn streamTokens on in the Basic LLM Chain or AI Agent before it, or turn stream off"));
                }
            }
        }

        private String roots(int subNode) {
            return edges.stream().filter(edge -> edge.from() == subNode && edge.type().attachesSubNode())
                    .map(edge -> nodes.get(edge.to()).id()).distinct().collect(Collectors.joining(", "));
        }

        /**
         * A sub-node's expressions are resolved while its root runs, against the root's items: the
         * nodes they may read are those before every root it is attached to. Roots come after their
         * sub-nodes in the order, so walking it backwards settles a root before its sub-nodes.
         */
        private BitSet[] rootsAncestors(BitSet[] ancestors) {
            for (int at = order.size() - 1; at >= 0; at--) {
                int node = order.get(at);
                if (!subNodes.get(node)) {
                    continue;
                }
                BitSet common = null;
                for (Edge edge : edges) {
                    if (edge.from() == node && edge.type().attachesSubNode()) {
                        if (common == null) {
                            common = (BitSet) ancestors[edge.to()].clone();
                        } else {
                            common.and(ancestors[edge.to()]);
                        }
                    }
                }
                ancestors[node] = common;
            }
            return ancestors;
        }

        /** A later node with an id already taken: connections reach the first one, so nothing else is said about it. */
        private boolean duplicate(int node) {
            return indexById.get(nodes.get(node).id()) != node;
        }

        private void cycle(List<Integer> members) {
            int first = members.get(0);
            String path = members.stream().map(i -> nodes.get(i).id()).collect(Collectors.joining(" → "));
            diagnostics.add(Diagnostic.error(DiagnosticCode.CYCLE, nodes.get(first).id(), Pointers.node(first),
                    "these nodes form a cycle: " + path + " → " + nodes.get(first).id(),
                    "remove one of the connections; to repeat work, loop inside a Code node or start another execution"));
        }

        private void reachability() {
            List<Integer> triggers = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (entries[i] != null && entries[i].descriptor().trigger()) {
                    triggers.add(i);
                }
            }
            if (triggers.isEmpty()) {
                return; // NO_TRIGGER already says why nothing runs
            }
            BitSet reached = graph.reachableFrom(triggers);
            for (int i = 0; i < nodes.size(); i++) {
                // A sub-node is used where its root is; a sub-node with sub-nodes of its own has predecessors but no trigger before it.
                if (!reached.get(i) && entries[i] != null && !graph.predecessors(i).isEmpty() && !duplicate(i) && !subNodes.get(i)) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.UNREACHABLE_NODE, nodes.get(i).id(), Pointers.node(i),
                            "no trigger leads to node " + nodes.get(i).id() + ", so it could never run",
                            "connect it to the flow that starts at a trigger, or delete it"));
                }
            }
        }

        private void fromAi(int node, String expression, String pointer) {
            if (!FromAi.usedIn(expression)) {
                return;
            }
            String id = nodes.get(node).id();
            if (FromAi.parse(expression).isEmpty()) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.EXPRESSION_SYNTAX, id, pointer,
                        "$fromAI must be the whole expression, with literal arguments", FromAi.USAGE));
            } else if (!tools.get(node)) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.FROM_AI_OUTSIDE_TOOL, id, pointer,
                        "node " + id + " is not attached to an agent as a tool, so no model fills its $fromAI(...)",
                        "connect its ai_tool output to an agent's ai_tool input, or write the value in"));
            }
        }

        private void expressions(int node, JsonNode value, String pointer, BitSet[] ancestors) {
            if (value.isTextual()) {
                String text = value.asText();
                if (!Expressions.mayHoldExpression(text)) {
                    return;
                }
                String id = nodes.get(node).id();
                Expressions.Scan scan = Expressions.scan(text);
                if (scan.syntaxError() != null) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.EXPRESSION_SYNTAX, id, pointer, scan.syntaxError(),
                            "expressions look like {{ $json.field }}"));
                    return;
                }
                for (String expression : scan.expressions()) {
                    fromAi(node, expression, pointer);
                }
                for (String variable : scan.unknownVariables()) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.EXPRESSION_SYNTAX, id, pointer, "unknown variable " + variable,
                            "known variables: " + String.join(", ", new java.util.TreeSet<>(Expressions.VARIABLES))));
                }
                for (String name : scan.referencedNodes()) {
                    Integer referenced = indexByName.get(name);
                    if (referenced == null) {
                        diagnostics.add(Diagnostic.error(DiagnosticCode.EXPRESSION_UNKNOWN_NODE, id, pointer,
                                "the expression reads node \"" + name + "\", which is not in the workflow",
                                "expressions name nodes by their name, not their id"));
                    } else if (ancestors != null && !ancestors[node].get(referenced)) {
                        diagnostics.add(Diagnostic.error(DiagnosticCode.EXPRESSION_NODE_NOT_UPSTREAM, id, pointer,
                                "the expression reads node \"" + name + "\", which does not always run before " + id,
                                "only nodes on every path leading here can be read"));
                    }
                }
            } else if (value.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> member = it.next();
                    expressions(node, member.getValue(), Pointers.child(pointer, member.getKey()), ancestors);
                }
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    expressions(node, value.get(i), Pointers.child(pointer, i), ancestors);
                }
            }
        }

        private void credentials(int node) {
            NodeDefinition definition = nodes.get(node);
            List<String> accepted = entries[node].descriptor().credentialTypes();
            for (Map.Entry<String, CredentialRef> slot : new java.util.TreeMap<>(definition.credentials()).entrySet()) {
                String pointer = Pointers.child(Pointers.child(Pointers.node(node), "credentials"), slot.getKey());
                if (!accepted.contains(slot.getKey())) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.CREDENTIAL_TYPE_NOT_ACCEPTED, definition.id(), pointer,
                            definition.type() + " does not take " + slot.getKey() + " credentials",
                            accepted.isEmpty() ? definition.type() + " takes no credentials" : "it takes: " + String.join(", ", accepted)));
                } else {
                    credentials.add(new CredentialUse(definition.id(), pointer, slot.getKey(), slot.getValue()));
                }
            }
        }

        private static String describe(Connection connection) {
            return connection.from().node() + "." + connection.from().port() + " to " + connection.to().node() + "." + connection.to().port();
        }

        private static String wire(PortDescriptor port) {
            return wire(port.type());
        }

        private static String wire(PortType type) {
            return WeftJson.mapper().convertValue(type, String.class);
        }

        private static String portNames(Set<String> names, boolean withErrorPort) {
            java.util.TreeSet<String> all = new java.util.TreeSet<>(names);
            if (withErrorPort) {
                all.add(ERROR_PORT);
            }
            return all.isEmpty() ? "none" : String.join(", ", all);
        }
    }
}
