package io.weft.executor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.expressions.Expressions;
import io.weft.contracts.expressions.FromAi;
import io.weft.contracts.nodes.PortType;
import io.weft.contracts.plan.PlannedNode;
import io.weft.contracts.workflow.WorkflowSettings;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.expressions.ExpressionException;
import io.weft.executor.expressions.ExpressionScope;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.sandbox.Sandbox;
import io.weft.executor.sandbox.ScriptData;
import io.weft.executor.sandbox.ScriptSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of one node: its input items and the means to read its parameters, with expressions
 * resolved against a given item, and — opened on first use, closed when the attempt ends — the
 * node's session in the JavaScript sandbox.
 */
public final class NodeRun {
    private final PlannedNode node;
    private final List<Item> items;
    private final Map<String, List<Item>> itemsByPort;
    /** By root id (this node, or one of its sub-nodes): what is attached to it. */
    private final Map<String, List<SubNode>> subNodes;
    private final RunState state;
    private final ExpressionEvaluator evaluator;
    private final int attempt;
    private final Sandbox sandbox;
    private final Payloads payloads;
    private final Credentials credentials;
    private final Instant parkedUntil;
    private ScriptSession scripts;
    private boolean scriptsClosed;
    private final Map<String, Credentials.Resolved> resolvedCredentials = new java.util.concurrent.ConcurrentHashMap<>();
    /** When the node runs as an agent's tool: what the model passed, which {@code $fromAI(...)} reads. */
    private final JsonNode toolArguments;
    /** When the node runs as an agent's tool: the call's own key, the same in every attempt of the agent. */
    private final String toolCallKey;
    private Map<String, JsonNode> recordedCalls;
    /** What the engine itself has to say about this attempt (a suspected prompt injection let through), for its console. */
    private final List<ConsoleLine> warnings = new java.util.ArrayList<>();
    /** Secret values the attempt's console must not show (a custom node's credentials). */
    private Redaction redaction = Redaction.NONE;

    /** How a tool call runs: under the tool's timeout, with its retries (the runner's, which knows the run's control). */
    @FunctionalInterface
    interface ToolAttempts {
        NodeOutput run(PlannedNode tool, NodeType type, java.util.function.Supplier<NodeRun> newAttempt);
    }

    private final ToolAttempts toolAttempts;

    NodeRun(PlannedNode node, List<Item> items, Map<String, List<Item>> itemsByPort, Map<String, List<SubNode>> subNodes,
            RunState state, ExpressionEvaluator evaluator, int attempt, Sandbox sandbox, Payloads payloads, Credentials credentials,
            Instant parkedUntil, ToolAttempts toolAttempts) {
        this(node, items, itemsByPort, subNodes, state, evaluator, attempt, sandbox, payloads, credentials, parkedUntil, null, null,
                toolAttempts);
    }

    private NodeRun(PlannedNode node, List<Item> items, Map<String, List<Item>> itemsByPort, Map<String, List<SubNode>> subNodes,
                    RunState state, ExpressionEvaluator evaluator, int attempt, Sandbox sandbox, Payloads payloads, Credentials credentials,
                    Instant parkedUntil, JsonNode toolArguments, String toolCallKey, ToolAttempts toolAttempts) {
        this.toolAttempts = toolAttempts;
        this.toolArguments = toolArguments;
        this.toolCallKey = toolCallKey;
        this.subNodes = subNodes;
        this.credentials = credentials;
        this.parkedUntil = parkedUntil;
        this.payloads = payloads;
        this.node = node;
        this.items = items;
        this.itemsByPort = itemsByPort;
        this.state = state;
        this.evaluator = evaluator;
        this.attempt = attempt;
        this.sandbox = sandbox;
    }

    /** Hands the webhook call's answer to the execution's listener, which publishes it at once. */
    public void respond(WebhookResponse response) {
        state.listener().webhookResponse(node, response);
    }

    /** Stores bytes out of line for the execution's tenant; the answer is what an item's {@code binary} holds. */
    public String storePayload(byte[] bytes) {
        return payloads.store(state.input().tenantId(), state.input().executionId(), bytes);
    }

    /** A payload of the execution's tenant that an item's {@code binary} names; empty when there is none. */
    public Optional<byte[]> payload(String id) {
        return payloads.read(state.input().tenantId(), id);
    }

    /**
     * The node's credential of the first of these types that it names (its credential slots are
     * named by type), resolved for this run; empty when it names none of them.
     */
    public Optional<Credentials.Resolved> credential(java.util.List<String> types) {
        return credentialOf(node, types);
    }

    /**
     * The node's credential again after its provider refused the OAuth2 access token {@code refusedToken}
     * ({@link Credentials#afterRefusal}); later reads in this attempt get the new one. Empty when the
     * node names none of these types.
     */
    public Optional<Credentials.Resolved> credentialAfterRefusal(java.util.List<String> types, String refusedToken) {
        for (String type : types) {
            io.weft.contracts.workflow.CredentialRef ref = node.credentials().get(type);
            if (ref != null) {
                Credentials.Resolved fresh = credentials.afterRefusal(state.input().tenantId(), ref.id(), state.input().executionId(), node.id(),
                        refusedToken);
                resolvedCredentials.put(node.id() + "/" + ref.id(), fresh);
                return Optional.of(fresh);
            }
        }
        return Optional.empty();
    }

    /** The sub-nodes attached to this node on inputs of the type, in the order of its connections. */
    public List<SubNode> subNodes(PortType type) {
        return subNodesOf(node.id(), type);
    }

    /** The sub-nodes attached to one of this node's sub-nodes (a tool's own model). */
    public List<SubNode> subNodes(SubNode of, PortType type) {
        return subNodesOf(of.node().id(), type);
    }

    /** A sub-node's credential, as {@link #credential(List)} reads the node's own: resolved for this run, audited as the sub-node's use. */
    public Optional<Credentials.Resolved> credential(SubNode subNode, List<String> types) {
        return credentialOf(subNode.node(), types);
    }

    /**
     * A sub-node's parameters with every expression resolved against this node's input item
     * {@code index} (a sub-node has no items of its own: it works on its root's).
     */
    public JsonNode parameters(SubNode subNode, int index) {
        return resolve(subNode.node(), index);
    }

    /**
     * Runs a sub-node attached as a tool (one tool call of an agent) on this node's input item
     * {@code index}, its {@code $fromAI(...)} parameters read from {@code arguments}, the model's
     * input. {@code callKey} names the call within this node in every attempt: the tool's
     * idempotency key is this node's and the call's, so that a call repeated after a crash (or
     * retried) is recognisable. The tool's own policy applies: its timeout bounds each attempt, and a
     * failure its retry policy retries is tried again, with the same key, before the model hears of
     * it. Its sandbox session, if it opens one, ends with each attempt.
     */
    /** When the node runs as an agent's tool: the arguments the model passed (null otherwise). */
    public JsonNode toolArguments() {
        return toolArguments;
    }

    public NodeOutput runTool(SubNode tool, int index, JsonNode arguments, String callKey) {
        if (tool.type() == null) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + tool.node().name() + "\" (" + tool.node().type()
                    + ") cannot run in this executor");
        }
        List<Item> input = index >= 0 && index < items.size() ? List.of(items.get(index)) : List.of();
        String key = state.input().tenantId() + ":" + state.input().executionId() + ":" + node.id() + ":" + callKey;
        return toolAttempts.run(tool.node(), tool.type(), () -> new NodeRun(tool.node(), input, Map.of("main", input), subNodes, state,
                evaluator, attempt, sandbox, payloads, credentials, null, arguments, key, toolAttempts));
    }

    /** A call this node made in an earlier attempt of the execution and recorded under {@code key} (see {@link #recordCall}). */
    public synchronized Optional<JsonNode> recordedCall(String key) {
        if (recordedCalls == null) {
            recordedCalls = state.listener().recordedCalls(node);
        }
        return Optional.ofNullable(recordedCalls.get(key));
    }

    /**
     * Makes a finished call of this node durable under {@code key} before the node goes on: a later
     * attempt (a retry, or the run resumed on another executor) finds it with {@link #recordedCall}
     * instead of calling again.
     */
    public void recordCall(String key, JsonNode result) {
        state.listener().callFinished(node, key, result);
    }

    /**
     * A write to the outside world that must happen once (a message posted, rows appended): answered
     * from the checkpoint when an earlier attempt, or the run before it was resumed, made it; else
     * made, and recorded before the node goes on. {@code what} names the write within the node (e.g.
     * {@code slack:post:3} for item 3); each tool call of an agent has its own.
     */
    public ObjectNode once(String what, java.util.function.Supplier<ObjectNode> write) {
        String key = writeKey() + "/" + what;
        if (recordedCall(key).orElse(null) instanceof ObjectNode made) {
            return made;
        }
        ObjectNode made = write.get();
        recordCall(key, made);
        return made;
    }

    /**
     * Before this node asks a model: about {@code tokens} are taken from the tenant's monthly budget,
     * or a {@code QUOTA} failure is thrown and no provider is asked.
     */
    public TokenReservation reserveTokens(long tokens) {
        return state.listener().reserveTokens(node, tokens);
    }

    /** What the workflow says to do with outside text that looks like a prompt injection (its settings; warn by default). */
    public WorkflowSettings.PromptInjection promptInjection() {
        return state.promptInjection();
    }

    /** A warning of the engine's about this attempt: it goes on the node's console, next to its scripts' lines. */
    public synchronized void warn(String line) {
        warnings.add(new ConsoleLine("warn", line));
    }

    /**
     * Where the text this node produces for item {@code index} goes while it is produced (to the
     * execution's live listeners); a node asks for one per call it streams.
     */
    public TokenStream tokenStream(int index) {
        return new TokenStream(state.listener(), node, index, System::nanoTime);
    }

    /** A model answered this node: its tokens go on the attempt's transition (the event, the logs' insights). */
    public void countTokens(String provider, String model, long inputTokens, long outputTokens) {
        state.listener().tokensUsed(node, provider, model, inputTokens, outputTokens);
    }

    private List<SubNode> subNodesOf(String root, PortType type) {
        return subNodes.getOrDefault(root, List.of()).stream().filter(subNode -> subNode.portType() == type).toList();
    }

    /** Resolved once per attempt and owner: a node that reads its (or a sub-node's) credential per item asks once. */
    private Optional<Credentials.Resolved> credentialOf(PlannedNode owner, List<String> types) {
        for (String type : types) {
            io.weft.contracts.workflow.CredentialRef ref = owner.credentials().get(type);
            if (ref != null) {
                return Optional.of(resolvedCredentials.computeIfAbsent(owner.id() + "/" + ref.id(),
                        key -> credentials.resolve(state.input().tenantId(), ref.id(), state.input().executionId(), owner.id())));
            }
        }
        return Optional.empty();
    }

    /** How many runs stand above this node's execution (0 for a top-level run): a run it starts is one deeper. */
    public int callDepth() {
        return state.input().callDepth();
    }

    /** When the execution was parked at this node by an earlier {@link WaitRequested}: the end of that wait. */
    public Optional<Instant> parkedUntil() {
        return Optional.ofNullable(parkedUntil);
    }

    /** The tenant the execution belongs to: what a node's own stores (an agent's memory) are kept under. */
    public String tenantId() {
        return state.input().tenantId();
    }

    public String executionId() {
        return state.input().executionId();
    }

    /** The workflow the execution runs. */
    public String workflowId() {
        return state.input().workflowId();
    }

    /** The execution's clock ({@code $now}). */
    public java.time.Clock clock() {
        return state.input().clock();
    }

    /**
     * This run's session in the JavaScript sandbox: the input items, the outputs of the nodes the
     * node's parameters name, and the run's identity, handed in once. Bounded by the node's timeout.
     */
    public synchronized ScriptSession scripts() {
        if (scriptsClosed) {
            throw new NodeFailure(ErrorKind.CANCELLED, false, "the node's attempt is over; its scripts were stopped");
        }
        if (scripts == null) {
            if (sandbox == null) {
                throw new NodeFailure(ErrorKind.INTERNAL, false, "the JavaScript sandbox is not available in this executor");
            }
            scripts = sandbox.open(state.input().tenantId(), scriptData(), Duration.ofMillis(node.policy().timeoutMs()));
        }
        return scripts;
    }

    /** From now on, this attempt's console shows none of these secret values. */
    public synchronized void redactInConsole(Redaction secrets) {
        redaction = secrets;
    }

    /**
     * Ends the sandbox session, if there was one, and hands back what its scripts wrote to the console,
     * then the engine's warnings.
     */
    synchronized List<ConsoleLine> endAttempt() {
        scriptsClosed = true;
        List<ConsoleLine> console = new java.util.ArrayList<>();
        if (scripts != null) {
            scripts.console().forEach(line -> console.add(new ConsoleLine(line.level(), redaction.apply(line.line()))));
            scripts.close();
            scripts = null;
        }
        console.addAll(warnings);
        warnings.clear();
        return console;
    }

    private ScriptData scriptData() {
        Map<String, List<JsonNode>> nodes = new LinkedHashMap<>();
        for (String name : referencedNodes()) {
            state.outputOfNodeNamed(name).ifPresent(output -> nodes.put(name, output.all().stream().<JsonNode>map(Item::json).toList()));
        }
        JsonNode vars = state.input().vars();
        return new ScriptData(items.stream().<JsonNode>map(Item::json).toList(), nodes,
                vars == null ? JsonNodeFactory.instance.objectNode() : vars, state.input().executionId(),
                state.input().workflowId(), state.input().clock().instant(), toolArguments);
    }

    /** The node names that the node's parameters (code included) read with {@code $node["Name"]} or {@code $("Name")}. */
    private Set<String> referencedNodes() {
        Set<String> names = new LinkedHashSet<>();
        List<JsonNode> pending = new ArrayList<>(List.of(node.parameters()));
        List<String> roots = new ArrayList<>(List.of(node.id()));
        while (!roots.isEmpty()) { // the sub-nodes' expressions run in this node's session too
            for (SubNode subNode : subNodes.getOrDefault(roots.remove(roots.size() - 1), List.of())) {
                pending.add(subNode.node().parameters());
                roots.add(subNode.node().id());
            }
        }
        while (!pending.isEmpty()) {
            JsonNode value = pending.remove(pending.size() - 1);
            if (value.isTextual()) {
                names.addAll(Expressions.referencedNodes(value.asText()));
            } else {
                for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                    pending.add(it.next());
                }
            }
        }
        return names;
    }

    public PlannedNode node() {
        return node;
    }

    /** Every input item; for a node with several input ports, in the order of its connections. */
    public List<Item> items() {
        return items;
    }

    /** The items that arrived at one input port (for nodes such as Merge). */
    public List<Item> items(String port) {
        return itemsByPort.getOrDefault(port, List.of());
    }

    /** The node's parameters with every expression resolved against input item {@code index}. */
    public JsonNode parameters(int index) {
        return resolve(node, index);
    }

    private JsonNode resolve(PlannedNode owner, int index) {
        try {
            return evaluator.resolve(owner.parameters(), scope(index));
        } catch (ExpressionException e) {
            throw new ExpressionException("node \"" + owner.name() + "\": " + e.getMessage());
        } catch (NodeFailure e) {
            throw new NodeFailure(e.kind(), e.retryable(), "node \"" + owner.name() + "\": " + e.getMessage(), e);
        }
    }

    /** The parameters resolved without an item (for nodes that run once, not per item). */
    public JsonNode parameters() {
        return parameters(items.isEmpty() ? -1 : 0);
    }

    /**
     * {@code tenant:execution:node:attempt}: what side-effecting nodes pass on so that a repeated
     * attempt can be recognised; for a node run as an agent's tool, {@code tenant:execution:agent:call},
     * the same in every attempt of the agent.
     */
    public String idempotencyKey() {
        if (toolCallKey != null) {
            return toolCallKey;
        }
        return state.input().tenantId() + ":" + state.input().executionId() + ":" + node.id() + ":" + attempt;
    }

    /**
     * {@link #idempotencyKey()} without the attempt: {@code tenant:execution:node}, the same in every
     * attempt, for writes that must be recognised by a later attempt (an agent's tool call's key as it is).
     */
    public String writeKey() {
        return toolCallKey != null ? toolCallKey : state.input().tenantId() + ":" + state.input().executionId() + ":" + node.id();
    }

    private ExpressionScope scope(int index) {
        JsonNode json = index >= 0 && index < items.size() ? items.get(index).json() : JsonNodeFactory.instance.objectNode();
        JsonNode first = items.isEmpty() ? JsonNodeFactory.instance.objectNode() : items.get(0).json();
        return new ExpressionScope() {
            @Override
            public JsonNode json() {
                return json;
            }

            @Override
            public JsonNode firstInput() {
                return first;
            }

            @Override
            public Optional<JsonNode> nodeJson(String name) {
                return state.outputOfNodeNamed(name).map(output -> {
                    List<Item> produced = output.all();
                    if (produced.isEmpty()) {
                        return null;
                    }
                    return (index >= 0 && index < produced.size() ? produced.get(index) : produced.get(0)).json();
                });
            }

            @Override
            public String executionId() {
                return state.input().executionId();
            }

            @Override
            public String workflowId() {
                return state.input().workflowId();
            }

            @Override
            public JsonNode vars() {
                JsonNode vars = state.input().vars();
                return vars == null ? JsonNodeFactory.instance.objectNode() : vars;
            }

            @Override
            public Instant now() {
                return state.input().clock().instant();
            }

            @Override
            public JsonNode fromAi(FromAi call) {
                if (toolArguments == null) {
                    return ExpressionScope.super.fromAi(call);
                }
                JsonNode given = toolArguments.get(call.key());
                if (given == null || given.isNull()) {
                    if (call.defaultValue() == null) {
                        throw new ExpressionException("the model gave no value for '" + call.key() + "'");
                    }
                    return call.defaultValue();
                }
                return "string".equals(call.type()) && !given.isTextual() ? TextNode.valueOf(given.toString()) : given;
            }

            @Override
            public JsonNode script(String source) {
                return scripts().expression(source, index);
            }
        };
    }
}
