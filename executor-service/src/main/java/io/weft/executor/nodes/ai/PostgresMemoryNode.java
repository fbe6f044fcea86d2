package io.weft.executor.nodes.ai;

import io.weft.contracts.events.ErrorKind;
import io.weft.executor.ai.ConversationStore;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.SubNode;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Postgres Chat Memory ({@code ai.memory.postgres}), a sub-node: it never runs on its own; the agent
 * it is attached to reads the conversation of its item's session from it and adds each exchange.
 * Conversations are the tenant's, in the executor's database ({@link ConversationStore}).
 */
@Singleton
public class PostgresMemoryNode extends TypedNodeType<PostgresMemoryNode.Parameters> {

    public record Parameters(String sessionKey, int windowSize, int retentionDays) {
    }

    private final ConversationStore store;

    @Inject
    public PostgresMemoryNode(ConversationStore store) {
        super("ai.memory.postgres", 1, Parameters.class);
        this.store = store;
    }

    /** The conversation the root's item {@code item} belongs to. */
    public Conversation conversation(NodeRun run, SubNode self, int item) {
        Parameters parameters = bind(self.node().name(), run.parameters(self, item));
        if (parameters.sessionKey() == null || parameters.sessionKey().isBlank()) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + self.node().name() + "\": the session key of item "
                    + item + " is empty");
        }
        if (parameters.sessionKey().length() > 500) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + self.node().name() + "\": the session key of item "
                    + item + " is longer than 500 characters");
        }
        if (store == null) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + self.node().name() + "\": this executor keeps no conversations");
        }
        return new Conversation(store, run.tenantId(), parameters.sessionKey(), parameters.windowSize(),
                Duration.ofDays(parameters.retentionDays()));
    }
}
