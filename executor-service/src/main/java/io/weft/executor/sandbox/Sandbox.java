package io.weft.executor.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.jboss.logging.Logger;

/**
 * The JavaScript sandbox of the Code node and of script expressions: GraalJS under the
 * {@code CONSTRAINED} sandbox policy, with no host access, no polyglot access, no I/O, no threads,
 * no environment, and limits on statements, wall time and allocation.
 *
 * <p>One shared {@link Engine} keeps parsed code across contexts. Every node run gets a fresh
 * context — nothing one workflow leaves behind can reach another — and fresh contexts are
 * prepared ahead on a background thread so that taking one is cheap. Scripts run on the sandbox's
 * own platform threads (bounded, so scripts cannot take every core, and measurable, so allocation
 * can be bounded), shared fairly between tenants ({@link ScriptThreads}).
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sandbox.class);

    private final SandboxLimits limits;
    private final Engine engine;
    private final Source prelude;
    private final BlockingQueue<Prepared> ready;
    private final ExecutorService preparer;
    final ScriptThreads threads;
    private volatile boolean closed;

    public Sandbox(SandboxLimits limits) {
        this.limits = limits;
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.prelude = Source.newBuilder("js", resource("/sandbox/prelude.js"), "weft-prelude.js").cached(true).buildLiteral();
        this.ready = new ArrayBlockingQueue<>(Math.max(1, limits.readyContexts()));
        this.threads = new ScriptThreads(limits.threads(), limits.threadsPerTenant());
        this.preparer = Executors.newSingleThreadExecutor(ScriptThreads.named("weft-sandbox-preparer-"));
        for (int i = 0; i < limits.readyContexts(); i++) {
            preparer.execute(this::prepareOne);
        }
    }

    public SandboxLimits limits() {
        return limits;
    }

    /**
     * A session over one fresh context, for one node run of the tenant: the data is handed in once,
     * then code or expressions run against it. Its calls together run for {@code timeout} at most
     * (and at most {@link SandboxLimits#wallTime()}); time spent waiting for a thread is not counted.
     */
    public ScriptSession open(String tenant, ScriptData data, Duration timeout) {
        if (closed) {
            throw new IllegalStateException("the sandbox is closed");
        }
        Prepared prepared = take();
        ScriptSession session = new ScriptSession(this, tenant, prepared.context(), prepared.runner(), timeout);
        session.setData(data);
        return session;
    }

    private Prepared take() {
        Prepared prepared = ready.poll();
        if (limits.readyContexts() > 0) {
            preparer.execute(this::prepareOne);
        }
        return prepared != null ? prepared : prepare();
    }

    private void prepareOne() {
        if (closed) {
            return;
        }
        try {
            Prepared prepared = prepare();
            if (!ready.offer(prepared)) {
                prepared.context().close();
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not prepare a sandbox context ahead; contexts are made on demand");
        }
    }

    private Prepared prepare() {
        Context context = newContext();
        return new Prepared(context, context.eval(prelude));
    }

    private Context newContext() {
        return Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.CONSTRAINED)
                .allowHostClassLookup(name -> false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(org.graalvm.polyglot.EnvironmentAccess.NONE)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .in(InputStream.nullInputStream())
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statements(), null).build())
                .build();
    }

    @Override
    public void close() {
        closed = true;
        preparer.shutdownNow();
        threads.shutdown();
        Prepared prepared;
        while ((prepared = ready.poll()) != null) {
            prepared.context().close(true);
        }
        try {
            preparer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close(true);
    }

    private record Prepared(Context context, Value runner) {
    }

    private static String resource(String name) {
        try (InputStream in = Sandbox.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
