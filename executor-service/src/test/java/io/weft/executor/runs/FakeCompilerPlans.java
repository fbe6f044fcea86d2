package io.weft.executor.runs;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.weft.testsupport.FakeServiceTokens;
import io.weft.testsupport.LoopbackServer;
import io.weft.contracts.json.CanonicalJson;
import io.weft.contracts.plan.ExecutionPlan;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the gateway's service-token endpoint and compiler-service's plan endpoint on a
 * loopback port: tests put plans in {@link #PLANS}, the executor fetches them with a tenant's
 * service token exactly as it does from the real compiler. It also stands in for credentials-service's
 * resolution endpoint: tests put a tenant's credentials in {@link #CREDENTIALS} (id → the answer's
 * JSON) and read what was asked in {@link #RESOLUTIONS}. And for workflow-service's manual runs: a
 * run of a workflow in {@link #RUNS} (tenant:workflow → the execution id to answer) is accepted, once
 * per idempotency key, and what was asked is kept in {@link #RUN_REQUESTS} ({@code tenant workflow key depth=N body}).
 * And for inference-service's knowledge-base search: {@link #SEARCHES} (tenant:knowledge base → the
 * answer's body, or {@code "429 body"} for another status), what was asked in {@link #SEARCH_REQUESTS}
 * ({@code tenant knowledgeBase body}). And for its uploads: what was uploaded is kept in {@link #UPLOADS}
 * ({@code tenant knowledgeBase content-type} and the multipart body), each job runs at its first poll and
 * ends at its second — as {@link #INGESTS} says for the document's name (the job's fields after its id
 * and name), else succeeded with 3 chunks. And for workflow-service's question which active workflows use a
 * version of a custom node type: {@link #NODE_TYPE_USES} (tenant:type:version → the workflows' JSON array), none by default.
 * And for its approvals: an approval opened is kept in {@link #APPROVALS} (tenant:execution:node → its request), and
 * settled as {@link #APPROVAL_OUTCOMES} says for it (pending by default).
 */
public class FakeCompilerPlans implements QuarkusTestResourceLifecycleManager {
    static final Map<String, String> PLANS = new ConcurrentHashMap<>();
    static final Map<String, String> CREDENTIALS = new ConcurrentHashMap<>();
    static final java.util.List<String> RESOLUTIONS = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final Map<String, String> RUNS = new ConcurrentHashMap<>();
    static final java.util.List<String> RUN_REQUESTS = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final Map<String, String> SEARCHES = new ConcurrentHashMap<>();
    static final java.util.List<String> SEARCH_REQUESTS = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final java.util.List<String> UPLOADS = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final Map<String, String> INGESTS = new ConcurrentHashMap<>();
    public static final Map<String, String> NODE_TYPE_USES = new ConcurrentHashMap<>();
    public static final Map<String, io.vertx.core.json.JsonObject> APPROVALS = new ConcurrentHashMap<>();
    public static final Map<String, String> APPROVAL_OUTCOMES = new ConcurrentHashMap<>();
    private static final Map<String, String> JOB_NAMES = new ConcurrentHashMap<>();
    private static final Map<String, Integer> JOB_POLLS = new ConcurrentHashMap<>();
    private static final Map<String, String> RUN_KEYS = new ConcurrentHashMap<>();
    private static final String SECRET = "test-executor-secret";

    private LoopbackServer server;

    /** Makes the plan fetchable by the tenant, under its hash. */
    static void publish(String tenantId, ExecutionPlan plan) {
        PLANS.put(tenantId + ":" + plan.hash(), CanonicalJson.write(plan));
    }

    @Override
    public Map<String, String> start() {
        server = LoopbackServer.start("fake compiler", request -> request.body().onSuccess(body -> {
            if (FakeServiceTokens.answer(request, body, "executor", SECRET)) {
                return;
            }
            String tenant = FakeServiceTokens.tenantOf(request);
            if (request.path().startsWith("/api/compile/plans/") && tenant != null) {
                String plan = PLANS.get(tenant + ":" + request.path().substring("/api/compile/plans/".length()));
                if (plan != null) {
                    request.response().putHeader("content-type", "application/json").end(plan);
                    return;
                }
            }
            if (request.path().startsWith("/internal/credentials/") && request.path().endsWith("/resolve")
                    && tenant != null) {
                String id = request.path().substring("/internal/credentials/".length(), request.path().length() - "/resolve".length());
                RESOLUTIONS.add(tenant + " " + id + " " + body);
                String credential = CREDENTIALS.get(tenant + ":" + id);
                if (credential != null) {
                    request.response().putHeader("content-type", "application/json").end(credential);
                    return;
                }
            }
            if (request.path().startsWith("/api/orchestrator/workflows/") && request.path().endsWith("/run") && tenant != null) {
                String workflow = request.path().substring("/api/orchestrator/workflows/".length(), request.path().length() - "/run".length());
                String key = request.getHeader("Idempotency-Key");
                RUN_REQUESTS.add(tenant + " " + workflow + " " + key + " depth=" + request.getHeader("X-Weft-Call-Depth") + " " + body);
                String execution = RUNS.get(tenant + ":" + workflow);
                if (execution != null) {
                    boolean replayed = key != null && RUN_KEYS.putIfAbsent(tenant + ":" + key, execution) != null;
                    request.response().setStatusCode(202).putHeader("content-type", "application/json")
                            .putHeader("Idempotent-Replayed", String.valueOf(replayed))
                            .end("{\"executionId\":\"" + execution + "\",\"workflowId\":\"" + workflow + "\",\"status\":\"queued\"}");
                    return;
                }
                request.response().setStatusCode(404).putHeader("content-type", "application/problem+json")
                        .end("{\"title\":\"Not found\",\"status\":404,\"detail\":\"workflow " + workflow + " was not found\"}");
                return;
            }
            if (request.path().startsWith("/api/inference/knowledge-bases/") && request.path().endsWith("/search") && tenant != null) {
                String base = request.path().substring("/api/inference/knowledge-bases/".length(), request.path().length() - "/search".length());
                SEARCH_REQUESTS.add(tenant + " " + base + " " + body);
                LoopbackServer.answer(request.response(), SEARCHES.getOrDefault(tenant + ":" + base,
                        "404 {\"title\":\"Not found\",\"status\":404,\"detail\":\"knowledge base not found\"}"));
                return;
            }
            if (request.path().startsWith("/api/inference/knowledge-bases/") && request.path().endsWith("/documents") && tenant != null) {
                String base = request.path().substring("/api/inference/knowledge-bases/".length(), request.path().length() - "/documents".length());
                UPLOADS.add(tenant + " " + base + " " + request.getHeader("content-type") + "\n" + body);
                String name = body.toString().replaceAll("(?s).*name=\"name\"\r\nContent-Type: [^\r]*\r\n\r\n([^\r]*)\r\n.*", "$1");
                String job = java.util.UUID.randomUUID().toString();
                JOB_NAMES.put(job, name);
                request.response().setStatusCode(202).putHeader("content-type", "application/json").end("{\"id\":\"" + job
                        + "\",\"documentName\":" + io.weft.contracts.json.WeftJson.mapper().valueToTree(name) + ",\"status\":\"queued\","
                        + "\"progress\":{\"chunks\":null,\"embedded\":0,\"reused\":0}}");
                return;
            }
            if (request.path().startsWith("/api/inference/knowledge-bases/") && request.path().contains("/jobs/") && tenant != null) {
                String job = request.path().substring(request.path().lastIndexOf('/') + 1);
                String name = JOB_NAMES.getOrDefault(job, "?");
                String outcome = INGESTS.getOrDefault(name, "{\"status\":\"succeeded\",\"documentId\":\"" + java.util.UUID.nameUUIDFromBytes(
                        name.getBytes()) + "\",\"progress\":{\"chunks\":3,\"embedded\":3,\"reused\":0}}");
                boolean done = JOB_POLLS.merge(job, 1, Integer::sum) > 1;
                request.response().putHeader("content-type", "application/json").end("{\"id\":\"" + job + "\",\"documentName\":"
                        + io.weft.contracts.json.WeftJson.mapper().valueToTree(name) + "," + (done ? outcome.substring(1)
                        : "\"status\":\"running\",\"progress\":{\"chunks\":3,\"embedded\":1,\"reused\":0}}"));
                return;
            }
            if (request.path().startsWith("/internal/approvals") && tenant != null) {
                io.vertx.core.json.JsonObject asked = body.toJsonObject();
                String key = tenant + ":" + asked.getString("executionId") + ":" + asked.getString("nodeId");
                io.vertx.core.json.JsonObject approval = request.path().endsWith("/settle") ? APPROVALS.get(key)
                        : APPROVALS.computeIfAbsent(key, k -> asked.copy().put("id", java.util.UUID.randomUUID().toString()));
                if (approval == null) {
                    request.response().setStatusCode(404).end();
                    return;
                }
                request.response().putHeader("content-type", "application/json").end(approval.copy()
                        .put("status", APPROVAL_OUTCOMES.getOrDefault(key, "pending")).put("decisions", new io.vertx.core.json.JsonArray()).encode());
                return;
            }
            if (request.path().startsWith("/internal/node-type-uses/") && tenant != null) {
                String[] typeAndVersion = request.path().substring("/internal/node-type-uses/".length()).split("/");
                String uses = NODE_TYPE_USES.getOrDefault(tenant + ":" + typeAndVersion[0] + ":" + typeAndVersion[1], "[]");
                request.response().putHeader("content-type", "application/json").end("{\"workflows\":" + uses + "}");
                return;
            }
            request.response().setStatusCode(404).end();
        }));
        String address = server.address();
        return Map.of("weft.executor.compiler-url", address, "weft.executor.credentials-url", address, "weft.executor.workflow-url", address,
                "weft.executor.inference-url", address,
                "weft.service-client.gateway", address,
                "weft.service-client.secret", SECRET, "weft.executor.lease", "5s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
