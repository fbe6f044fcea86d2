package io.weft.executor.nodes.ai;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.workflow.WorkflowSettings.PromptInjection;
import io.weft.executor.ai.InjectionDetector;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeRun;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The prompt-injection guard of one root node's item: before each model call, the user and tool
 * messages it has not screened yet — where outside text reaches a model (prompts resolved from
 * items, remembered messages, tools' answers) — are scored, and a suspected injection is warned
 * about on the node's console or fails the node with {@code PROMPT_INJECTION}, as the workflow's
 * {@code promptInjection} setting says. System messages are the workflow author's own and are not
 * screened.
 */
final class PromptGuard {
    private static final InjectionDetector DETECTOR = new InjectionDetector();

    private final NodeRun root;
    private final Set<String> screened = new HashSet<>();

    PromptGuard(NodeRun root) {
        this.root = root;
    }

    void screen(List<ChatMessage> messages) {
        PromptInjection mode = root.promptInjection();
        if (mode == PromptInjection.OFF) {
            return;
        }
        for (ChatMessage message : messages) {
            String text;
            String source;
            if (message instanceof UserMessage user) {
                text = user.contents().stream().filter(TextContent.class::isInstance).map(content -> ((TextContent) content).text())
                        .collect(Collectors.joining("\n"));
                source = "the prompt";
            } else if (message instanceof ToolExecutionResultMessage result) {
                text = result.text();
                source = "the answer of tool " + result.toolName();
            } else {
                continue;
            }
            if (text == null || text.isBlank() || !screened.add(text)) {
                continue;
            }
            InjectionDetector.Verdict verdict = DETECTOR.scan(text);
            if (!verdict.suspected()) {
                continue;
            }
            String found = String.format(Locale.ROOT, "%s looks like a prompt injection (score %.2f: %s)", source, verdict.score(),
                    String.join(", ", verdict.rules()));
            if (mode == PromptInjection.BLOCK) {
                throw new NodeFailure(ErrorKind.PROMPT_INJECTION, false, found + "; the workflow blocks it (settings.promptInjection)");
            }
            root.warn(found + "; passed on to the model (settings.promptInjection: warn)");
        }
    }
}
