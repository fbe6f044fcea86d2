package io.weft.executor.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.weft.contracts.events.ConsoleLine;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One node run's use of the sandbox: one context, the run's data handed in once, then any number
 * of code or expression calls. While a call runs, the calling thread watches it: past the session's
 * running time (waits for a thread do not count), past the allocation limit, or when the caller is
 * interrupted (node timeout, cancellation), the context is cancelled and the call fails with a clear
 * error. A cancelled session cannot be used
 * again. Not thread-safe: one node run, one thread at a time.
 */
public final class ScriptSession implements AutoCloseable {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long WATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Pattern CODE_LINE = Pattern.compile("\\(?(?:Code|Expression|Custom)\\.js:(\\d+)(?::(\\d+))?");
    private static final String CODE_FILE = "Code.js";
    private static final String CUSTOM_FILE = "Custom.js";
    private static final String EXPRESSION_FILE = "Expression.js";

    private final Sandbox sandbox;
    private final Context context;
    private final Value runner;
    private final String tenant;
    /** Running time left to the session's calls. */
    private long timeLeftNanos;
    private final Map<String, Value> expressions = new HashMap<>();
    private final List<ConsoleLine> console = java.util.Collections.synchronizedList(new ArrayList<>());
    private String arguments;
    private int droppedLines;
    /** What the session's calls have allocated so far: the allocation limit is for the whole node run. */
    private long allocated;
    private volatile Stop stopped;
    private boolean closed;

    ScriptSession(Sandbox sandbox, String tenant, Context context, Value runner, Duration timeout) {
        this.sandbox = sandbox;
        this.tenant = tenant;
        this.context = context;
        this.runner = runner;
        Duration bound = timeout == null || timeout.compareTo(sandbox.limits().wallTime()) > 0 ? sandbox.limits().wallTime() : timeout;
        this.timeLeftNanos = bound.toNanos();
    }

    void setData(ScriptData data) {
        ObjectNode json = WeftJson.mapper().createObjectNode();
        var items = json.putArray("items");
        data.items().forEach(item -> items.addObject().set("json", item));
        ObjectNode nodes = json.putObject("nodes");
        data.nodes().forEach((name, produced) -> {
            var list = nodes.putArray(name);
            produced.forEach(item -> list.addObject().set("json", item));
        });
        json.set("vars", data.vars() == null ? WeftJson.mapper().createObjectNode() : data.vars());
        json.put("executionId", data.executionId());
        if (data.toolArguments() != null) {
            json.set("toolArguments", data.toolArguments());
        }
        json.put("workflowId", data.workflowId());
        json.put("now", data.now().toEpochMilli());
        json.putObject("limits").put("lines", sandbox.limits().consoleLines()).put("lineChars", sandbox.limits().consoleLineChars());
        String text = json.toString();
        call(ErrorKind.SCRIPT, () -> {
            runner.getMember("setData").execute(text);
            arguments = runner.getMember("arguments").asString();
            return null;
        });
    }

    /** Runs a Code node's script, once for all items or once per item ({@code mode}). */
    public CodeResult code(String code, String mode) {
        String wrapped = "(function (" + arguments + ") {" + code + "\n})";
        JsonNode answer = answer(ErrorKind.SCRIPT, call(ErrorKind.SCRIPT, () -> {
            Value fn = context.eval(Source.newBuilder("js", wrapped, CODE_FILE).buildLiteral());
            return runner.getMember("runCode").execute(fn, mode).asString();
        }));
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode item : answer.path("result")) {
            if (!item.path("json").isObject()) {
                throw new NodeFailure(ErrorKind.SCRIPT, false, "the code returned an item that is not an object");
            }
            items.add((ObjectNode) item.get("json"));
        }
        return new CodeResult(items);
    }

    /**
     * Runs a custom node type's code: its top level, then {@code execute(items, params, ctx)}.
     * {@code input} is the JSON the prelude's {@code runCustom} reads (parameters, credentials, output
     * ports, the node); {@code http} answers {@code ctx.http} calls, given the session's time left.
     * The answer holds the items by output port.
     */
    public Map<String, List<ObjectNode>> custom(String code, String input, HostHttp http) {
        long deadline = System.nanoTime() + timeLeftNanos;
        ProxyExecutable host = arguments -> http.call(arguments.length > 0 && arguments[0].isString() ? arguments[0].asString() : "{}",
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        JsonNode answer = answer(ErrorKind.SCRIPT, call(ErrorKind.SCRIPT, () -> {
            String result = runner.getMember("runCustom").execute(customFunction(code), input, host).asString();
            return "pending".equals(result) ? runner.getMember("takeSettled").execute().asString() : result;
        }));
        Map<String, List<ObjectNode>> ports = new LinkedHashMap<>();
        answer.path("result").fields().forEachRemaining(port -> {
            List<ObjectNode> items = new ArrayList<>();
            port.getValue().forEach(item -> items.add((ObjectNode) item.get("json")));
            ports.put(port.getKey(), items);
        });
        return ports;
    }

    /**
     * Compiles a custom node type's code and runs its top level, which must define {@code execute}:
     * empty when it does, else what is wrong and where (line and column; 0 when unknown).
     */
    public Optional<CodeProblem> checkCustom(String code) {
        try {
            JsonNode answer = WeftJson.mapper().readTree(call(ErrorKind.SCRIPT,
                    () -> runner.getMember("inspectCustom").execute(customFunction(code)).asString()));
            if (answer.path("ok").asBoolean()) {
                return Optional.empty();
            }
            JsonNode error = answer.path("error");
            Matcher at = CODE_LINE.matcher(error.path("stack").asText());
            boolean found = at.find();
            return Optional.of(new CodeProblem(error.path("name").asText() + ": " + error.path("message").asText(),
                    found ? Integer.parseInt(at.group(1)) : 0, found && at.group(2) != null ? Integer.parseInt(at.group(2)) : 0));
        } catch (SyntaxFailure e) {
            return Optional.of(e.problem);
        } catch (NodeFailure e) {
            return Optional.of(new CodeProblem(e.getMessage(), 0, 0));
        } catch (JsonProcessingException e) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "the sandbox answered something unreadable", e);
        }
    }

    /** What is wrong with a custom node type's code, and where (1-based; 0 when unknown). */
    public record CodeProblem(String message, int line, int column) {
    }

    /** Answers a script's {@code ctx.http} call: the request as JSON text in, the prelude's answer as JSON text out; never throws. */
    @FunctionalInterface
    public interface HostHttp {
        String call(String request, Duration timeLeft);
    }

    /** The code inside a function of {@code console}, its first line on line 1, so that lines match the tenant's source. */
    private Value customFunction(String code) {
        String wrapped = "(function (console) {" + code + "\n;return typeof execute === 'function' ? execute : undefined; })";
        try {
            return context.eval(Source.newBuilder("js", wrapped, CUSTOM_FILE).buildLiteral());
        } catch (PolyglotException e) {
            if (e.isSyntaxError()) {
                SourceSection at = e.getSourceLocation();
                boolean known = at != null && at.isAvailable();
                int line = known ? at.getStartLine() : 0;
                int column = known ? at.getStartColumn() - (line == 1 ? "(function (console) {".length() : 0) : 0;
                throw new SyntaxFailure(new CodeProblem("SyntaxError: " + e.getMessage(), line, Math.max(column, known ? 1 : 0)));
            }
            throw e;
        }
    }

    /** A syntax error of custom code, carried out of the sandbox thread with its position. */
    static final class SyntaxFailure extends RuntimeException {
        final CodeProblem problem;

        SyntaxFailure(CodeProblem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }

    /** The value of one {@code {{ }}} expression for input item {@code index} (-1: no item). */
    public JsonNode expression(String source, int index) {
        JsonNode answer = answer(ErrorKind.EXPRESSION, call(ErrorKind.EXPRESSION, () -> {
            Value fn = expressions.get(source);
            if (fn == null) {
                String wrapped = "(function (" + arguments + ") { return (" + source + "\n); })";
                fn = context.eval(Source.newBuilder("js", wrapped, EXPRESSION_FILE).buildLiteral());
                expressions.put(source, fn);
            }
            return runner.getMember("runExpression").execute(fn, index).asString();
        }));
        return answer.path("result");
    }

    /** What the scripts of this session wrote to the console, in order. */
    public List<ConsoleLine> console() {
        synchronized (console) {
            return List.copyOf(console);
        }
    }

    /** Console lines beyond the limit, counted but not kept. */
    public int droppedConsoleLines() {
        return droppedLines;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                context.close(true);
            } catch (RuntimeException ignored) {
                // already cancelled
            }
        }
    }

    private JsonNode answer(ErrorKind kind, String text) {
        if (text.length() > sandbox.limits().resultChars()) {
            throw new NodeFailure(kind, false, "the script's result is larger than the limit of "
                    + sandbox.limits().resultChars() + " characters of JSON");
        }
        JsonNode answer;
        try {
            answer = WeftJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "the sandbox answered something unreadable", e);
        }
        for (JsonNode line : answer.path("logs")) {
            console.add(new ConsoleLine(line.path("level").asText(), line.path("line").asText()));
        }
        droppedLines += answer.path("droppedLines").asInt();
        if (!answer.path("ok").asBoolean()) {
            JsonNode error = answer.path("error");
            String message = error.path("name").asText() + ": " + error.path("message").asText() + location(error.path("stack").asText());
            JsonNode typed = error.path("typed");
            if (typed.isObject()) {
                NodeFailure failure = new NodeFailure(errorKind(typed.path("kind").asText()), typed.path("retryable").asBoolean(), message);
                if (typed.path("retryAfterMs").canConvertToLong() && typed.path("retryAfterMs").asLong() > 0) {
                    failure.withRetryAfter(Duration.ofMillis(typed.path("retryAfterMs").asLong()));
                }
                throw failure;
            }
            throw new NodeFailure(kind, false, message);
        }
        return answer;
    }

    /** Runs one call on a sandbox thread and watches it until it ends. */
    private String call(ErrorKind kind, Supplier<String> work) {
        if (closed || stopped != null) {
            throw new NodeFailure(kind, false, "the script sandbox of this node run was stopped earlier"
                    + (stopped == null ? "" : " (" + stopped.message + ")"));
        }
        AtomicLong worker = new AtomicLong(-1);
        AtomicLong startedAt = new AtomicLong();
        AtomicLong allocatedAtStart = new AtomicLong();
        AtomicLong allocatedByCall = new AtomicLong();
        Future<String> running = sandbox.threads.submit(tenant, () -> {
            long id = Thread.currentThread().threadId();
            long before = THREADS.getThreadAllocatedBytes(id);
            allocatedAtStart.set(before);
            startedAt.set(System.nanoTime());
            worker.set(id);
            try {
                return work.get();
            } finally {
                allocatedByCall.set(THREADS.getThreadAllocatedBytes(id) - before);
            }
        });
        long budget = sandbox.limits().allocatedBytes() - allocated;
        while (true) {
            long id = worker.get();
            long ranFor = id < 0 ? 0 : System.nanoTime() - startedAt.get();
            long left = timeLeftNanos - ranFor;
            if (left <= 0) {
                timeLeftNanos = 0;
                throw stop(running, Stop.TIME, kind);
            }
            try {
                String answer = running.get(Math.min(left, WATCH_INTERVAL_NANOS), TimeUnit.NANOSECONDS);
                allocated += allocatedByCall.get();
                timeLeftNanos -= System.nanoTime() - startedAt.get();
                return answer;
            } catch (TimeoutException e) {
                if (id >= 0 && THREADS.getThreadAllocatedBytes(id) - allocatedAtStart.get() > budget) {
                    throw stop(running, Stop.MEMORY, kind);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw stop(running, Stop.INTERRUPTED, kind);
            } catch (ExecutionException e) {
                throw failure(e.getCause(), kind);
            }
        }
    }

    private NodeFailure stop(Future<String> running, Stop reason, ErrorKind kind) {
        stopped = reason;
        running.cancel(false);
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // the context reports its cancellation to the running call, which nobody waits for any more
        }
        closed = true;
        return switch (reason) {
            case TIME -> new NodeFailure(ErrorKind.TIMEOUT, false, "the script " + reason.message);
            case MEMORY -> new NodeFailure(kind, false, "the script " + reason.message + " ("
                    + (sandbox.limits().allocatedBytes() >> 20) + " MiB)");
            case INTERRUPTED -> new NodeFailure(ErrorKind.CANCELLED, false, "the script " + reason.message);
        };
    }

    private RuntimeException failure(Throwable cause, ErrorKind kind) {
        if (cause instanceof SyntaxFailure syntax) {
            return syntax;
        }
        if (!(cause instanceof PolyglotException e)) {
            return new NodeFailure(ErrorKind.INTERNAL, false, "the sandbox failed: " + cause, cause);
        }
        if (e.isCancelled() || e.isResourceExhausted()) {
            closed = true;
            if (String.valueOf(e.getMessage()).contains("Statement count limit")) {
                return new NodeFailure(kind, false, "the script exceeded the limit of " + sandbox.limits().statements() + " statements");
            }
            return new NodeFailure(kind, false, "the script ran out of resources: " + e.getMessage());
        }
        if (e.isSyntaxError()) {
            return new NodeFailure(kind, false, "the script is not valid JavaScript: " + e.getMessage() + at(e.getSourceLocation()));
        }
        if (e.isGuestException()) {
            return new NodeFailure(kind, false, e.getMessage() + at(e.getSourceLocation()));
        }
        return new NodeFailure(ErrorKind.INTERNAL, false, "the sandbox failed: " + e.getMessage(), e);
    }

    private static ErrorKind errorKind(String name) {
        try {
            return ErrorKind.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ErrorKind.SCRIPT;
        }
    }

    private static String at(SourceSection section) {
        return section == null || !section.isAvailable() ? "" : " (line " + section.getStartLine() + ")";
    }

    private static String location(String stack) {
        Matcher matcher = CODE_LINE.matcher(stack);
        return matcher.find() ? " (line " + matcher.group(1) + ")" : "";
    }

    private enum Stop {
        TIME("did not finish in time and was stopped"),
        MEMORY("allocated more memory than allowed and was stopped"),
        INTERRUPTED("was stopped because its node was cancelled");

        private final String message;

        Stop(String message) {
            this.message = message;
        }
    }
}
