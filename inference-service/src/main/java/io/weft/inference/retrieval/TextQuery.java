package io.weft.inference.retrieval;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A question as words for a full-text query, any of which may match ({@code a | b | c}), so that a
 * question in plain words finds passages that hold some of them — ranked by how many and how
 * close. Common English function words are left out when other words remain. Only letters and
 * digits reach the query: nothing a user types can change its syntax.
 */
final class TextQuery {
    static final int MAX_WORDS = 32;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for",
            "from", "get", "has", "have", "how", "i", "in", "is", "it", "its", "my", "of", "on", "or", "our", "so", "that", "the", "their",
            "there", "this", "to", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "you", "your");

    private TextQuery() {
    }

    /** The words a text search looks for, in the question's order; none when it has no word. */
    static java.util.List<String> words(String question) {
        Set<String> words = new LinkedHashSet<>();
        Matcher matcher = WORD.matcher(question.toLowerCase(Locale.ROOT));
        while (matcher.find() && words.size() < MAX_WORDS) {
            words.add(matcher.group());
        }
        Set<String> meaningful = new LinkedHashSet<>(words);
        meaningful.removeAll(FUNCTION_WORDS);
        return java.util.List.copyOf(meaningful.isEmpty() ? words : meaningful);
    }
}
