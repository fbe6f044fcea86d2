package io.weft.executor.nodes;

import io.weft.executor.nodes.core.CodeNode;
import io.weft.executor.nodes.core.HttpRequestNode;
import io.weft.executor.nodes.core.IfNode;
import io.weft.executor.nodes.core.ManualTrigger;
import io.weft.executor.nodes.core.MergeNode;
import io.weft.executor.nodes.core.NoOpNode;
import io.weft.executor.nodes.core.RespondToWebhookNode;
import io.weft.executor.nodes.core.ScheduleTrigger;
import io.weft.executor.nodes.core.SetNode;
import io.weft.executor.nodes.core.StopAndErrorNode;
import io.weft.executor.nodes.core.SwitchNode;
import io.weft.executor.nodes.core.WaitNode;
import io.weft.executor.nodes.core.WebhookTrigger;
import io.weft.executor.ai.ChatModels;
import io.weft.executor.nodes.ai.AgentNode;
import io.weft.executor.nodes.ai.GeminiChatModelNode;
import io.weft.executor.nodes.ai.InformationExtractorNode;
import io.weft.executor.nodes.ai.LlmChainNode;
import io.weft.executor.nodes.ai.OllamaChatModelNode;
import io.weft.executor.nodes.ai.OpenAiChatModelNode;
import io.weft.executor.nodes.ai.PostgresMemoryNode;
import io.weft.executor.nodes.ai.QaChainNode;
import io.weft.executor.nodes.ai.VectorStoreInsertNode;
import io.weft.executor.nodes.ai.VectorStoreRetrieveNode;
import io.weft.executor.nodes.ai.VectorStoreToolNode;
import io.weft.executor.nodes.ai.WorkflowToolNode;
import io.weft.executor.nodes.ai.TextClassifierNode;
import io.weft.executor.nodes.integrations.GmailNode;
import io.weft.executor.nodes.integrations.GmailTrigger;
import io.weft.executor.nodes.human.ApprovalNode;
import io.weft.executor.nodes.integrations.GoogleSheetsNode;
import io.weft.executor.nodes.integrations.SlackNode;
import io.weft.platform.net.OutboundAddresses;
import java.util.List;

/** The built-in node types, constructed without CDI, for tests and benchmarks (models call public addresses only). */
public final class CoreNodeTypes {
    private static final ChatModels MODELS = new ChatModels(OutboundAddresses.publicOnly());

    public static final List<NodeType> ALL = List.of(new ManualTrigger(), new WebhookTrigger(), new ScheduleTrigger(),
            new HttpRequestNode(), new SetNode(), new IfNode(), new SwitchNode(), new MergeNode(), new CodeNode(),
            new WaitNode(), new RespondToWebhookNode(), new NoOpNode(), new StopAndErrorNode(), new LlmChainNode(), new InformationExtractorNode(), new TextClassifierNode(), new AgentNode(), new PostgresMemoryNode(null), new WorkflowToolNode(null, null), new VectorStoreRetrieveNode(null), new VectorStoreToolNode(null), new QaChainNode(null), new VectorStoreInsertNode(null),
            new OpenAiChatModelNode(MODELS), new GeminiChatModelNode(MODELS), new OllamaChatModelNode(MODELS),
            new SlackNode(java.net.URI.create("https://slack.com/api")),
            new GoogleSheetsNode(java.net.URI.create("https://sheets.googleapis.com"), OutboundAddresses.publicOnly()),
            new GmailNode(java.net.URI.create("https://gmail.googleapis.com")), new GmailTrigger(), new ApprovalNode(null));

    private CoreNodeTypes() {
    }
}
