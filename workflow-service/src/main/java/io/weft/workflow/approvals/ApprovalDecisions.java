package io.weft.workflow.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.events.ExecutionControl;
import io.weft.contracts.identity.Role;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import io.weft.workflow.executions.Executors;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A person's decision on an approval, under the approval's row lock: who may decide, once each; the
 * approval's outcome once enough approved (or it was rejected); the executors told of the outcome in
 * the same transaction (if the broker does not take the command, nothing is decided). A decision
 * after the time limit loses to it.
 */
@ApplicationScoped
public class ApprovalDecisions {
    /** Who a decision by link is recorded as. */
    static final String LINK = "link";

    private final ApprovalStore store;
    private final Executors executors;
    private final ApprovalAudit audit;
    private final Clock clock;

    ApprovalDecisions(ApprovalStore store, Executors executors, ApprovalAudit audit, Clock clock) {
        this.store = store;
        this.executors = executors;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code approve} or {@code reject}, with a comment and the form's values. */
    public record Decision(String decision, String comment, JsonNode formValues) {
    }

    public Uni<ApprovalView> decide(Caller caller, UUID tenant, UUID id, Decision decision) {
        if (decision == null || !"approve".equals(decision.decision()) && !"reject".equals(decision.decision())) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "decision must be approve or reject");
        }
        if (decision.comment() != null && decision.comment().length() > 2000) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "comment must be at most 2000 characters");
        }
        return decide(tenant, id, decision, caller.subject(), ApprovalAudit.actor(caller), approval -> check(caller, approval, decision), false);
    }

    /** A decision by one of the approval's signed links (send and wait): whoever holds the link decides the approval outright. */
    public Uni<ApprovalView> decideByLink(ApprovalLinks.Link link) {
        return decide(link.tenant(), link.approvalId(), new Decision(link.decision(), null, null), LINK,
                new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "approval-link"), approval -> {
                }, true);
    }

    private Uni<ApprovalView> decide(UUID tenant, UUID id, Decision decision, String decidedBy, AuditEvent.Actor actor,
                                     Consumer<ApprovalView> check, boolean outright) {
        return store.pool().withTransaction(connection -> store.find(connection, tenant, id, true)
                        .map(found -> found.orElseThrow(() -> ProblemException.notFound("approval " + id)))
                        .chain(approval -> {
                            if (!approval.pending()) {
                                throw new ProblemException(ProblemType.CONFLICT, "the approval is " + approval.status().replace('_', ' ')
                                        + "; nothing can be decided now");
                            }
                            check.accept(approval);
                            return store.record(connection, id, decidedBy, decision.decision(), decision.comment(), decision.formValues())
                                    .chain(recorded -> {
                                        if (!recorded) {
                                            throw new ProblemException(ProblemType.CONFLICT, "you have decided on this approval already");
                                        }
                                        return store.find(connection, tenant, id, false).map(Optional::orElseThrow);
                                    })
                                    .chain(decided -> (outright ? Optional.of("approve".equals(decision.decision()) ? "approved" : "rejected")
                                            : outcome(decided))
                                            .map(status -> settleAndTell(connection, decidedBy, tenant, decided, status, decision))
                                            .orElse(Uni.createFrom().item(decided)));
                        }))
                .call(view -> audit.decided(actor, tenant, id.toString(), WeftJson.mapper().createObjectNode()
                        .put("executionId", view.executionId()).put("nodeId", view.nodeId()).put("decision", decision.decision())
                        .put("status", view.status())));
    }

    private Uni<ApprovalView> settleAndTell(io.vertx.mutiny.sqlclient.SqlClient connection, String decidedBy, UUID tenant, ApprovalView decided,
                                            String status, Decision decision) {
        ExecutionControl.ApprovalDecided told = new ExecutionControl.ApprovalDecided(UUID.randomUUID().toString(), tenant.toString(),
                decided.executionId(), decidedBy, decided.id(), decided.nodeId(),
                "approved".equals(status) ? ExecutionControl.Decision.APPROVED : ExecutionControl.Decision.REJECTED, decision.comment(),
                clock.instant());
        return store.settle(connection, UUID.fromString(decided.id()), status)
                .chain(() -> executors.command(told))
                .chain(() -> store.find(connection, tenant, UUID.fromString(decided.id()), false)).map(Optional::orElseThrow);
    }

    /**
     * What the decisions so far come to: approved once enough approved; rejected once a rejection leaves too few
     * named approvers to get there (without a list of users, one rejection rejects); else still pending.
     */
    static Optional<String> outcome(ApprovalView approval) {
        int approvals = 0;
        int rejections = 0;
        for (JsonNode decision : approval.decisions()) {
            if ("approve".equals(decision.path("decision").asText())) {
                approvals++;
            } else {
                rejections++;
            }
        }
        if (approvals >= approval.requiredApprovals()) {
            return Optional.of("approved");
        }
        int named = approval.approvers().path("users").size();
        boolean cannotReach = named > 0 && approval.approvers().path("roles").isEmpty()
                ? named - rejections < approval.requiredApprovals() : rejections > 0;
        return cannotReach ? Optional.of("rejected") : Optional.empty();
    }

    /** Who may decide, once, and what the form needs. */
    private static void check(Caller caller, ApprovalView approval, Decision decision) {
        if (!mayDecide(caller, approval.approvers())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "you are not one of this approval's approvers");
        }
        if (!approval.allowSelfApproval() && "approve".equals(decision.decision()) && caller.subject().equals(approval.requestedBy())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "the person who started the run may not approve it");
        }
        formValues(approval.form(), decision);
    }

    static boolean mayDecide(Caller caller, JsonNode approvers) {
        Set<String> users = new HashSet<>();
        approvers.path("users").forEach(user -> users.add(user.asText()));
        Set<String> roles = new HashSet<>();
        approvers.path("roles").forEach(role -> roles.add(role.asText()));
        Role role = caller.role();
        if (role == null) { // an API key (services do not decide)
            return users.isEmpty() && roles.isEmpty() && "api_key".equals(caller.authentication())
                    && caller.scopes().contains("executions:approve");
        }
        if (users.isEmpty() && roles.isEmpty()) {
            return role.atLeast(Role.EDITOR);
        }
        return users.contains(caller.subject()) || roles.contains(role.wireName());
    }

    private static void formValues(JsonNode form, Decision decision) {
        JsonNode values = decision.formValues() == null ? WeftJson.mapper().createObjectNode() : decision.formValues();
        if (!values.isObject()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "formValues must be an object of the form's fields");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        Set<String> fields = new HashSet<>();
        for (JsonNode field : form) {
            String name = field.path("name").asText();
            fields.add(name);
            JsonNode value = values.get(name);
            if (value == null || value.isNull()) {
                if (field.path("required").asBoolean(false) && "approve".equals(decision.decision())) {
                    violations.add(new Problem.Violation("formValues." + name, "is required to approve"));
                }
                continue;
            }
            String type = field.path("type").asText("string");
            boolean fits = switch (type) {
                case "number" -> value.isNumber();
                case "boolean" -> value.isBoolean();
                default -> value.isTextual() && value.asText().length() <= 2000;
            };
            if (!fits) {
                violations.add(new Problem.Violation("formValues." + name, "must be a " + type + ("string".equals(type) ? " of at most 2000 characters" : "")));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!fields.contains(name)) {
                violations.add(new Problem.Violation("formValues." + name, "is not a field of this approval's form"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, 400, "the form's values are not valid", violations);
        }
    }
}
