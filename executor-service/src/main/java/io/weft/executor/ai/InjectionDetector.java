package io.weft.executor.ai;

import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores text that is about to reach a model from outside (a webhook body, an e-mail, a document, a
 * tool's answer) for prompt injection: known attack phrasings in several languages, chat markup,
 * exfiltration and tool-abuse patterns, invisible characters — also inside base64, hex, percent,
 * HTML-entity and ROT13 encodings and Unicode tag characters, and after folding fullwidth letters,
 * leetspeak and spaced-out letters. Each rule has a weight; the score is {@code 1 - Π(1 - weight)}
 * over the rules that matched, and a score of {@value #THRESHOLD} or more is a suspected injection:
 * strong rules suffice alone, weak ones (a "System:" line, "new instructions:") only together.
 * Heuristics, not a proof: docs/benchmarks.md reports precision and recall on a labelled corpus.
 * Stateless and thread-safe.
 */
public final class InjectionDetector {
    public static final double THRESHOLD = 0.5;
    /** Text beyond this many characters is not scanned (a model's context holds less anyway). */
    static final int MAX_CHARS = 1 << 20;
    private static final int MAX_DECODED_SEGMENTS = 16;

    /** What the detector found: the score, and the names of the rules that matched (encoded ones prefixed {@code encoded:}). */
    public record Verdict(double score, List<String> rules) {
        public boolean suspected() {
            return score >= THRESHOLD;
        }
    }

    private record Rule(String name, double weight, Pattern pattern) {
    }

    private static final String OVERRIDE_VERB = "(?:ignore|ignoring|disregard|disregarding|forget|forgetting|skip|override|overwrite|"
            + "bypass|neglect|abandon|discard|dismiss|set aside|put aside|throw out|stop following|do not follow|don't follow|"
            + "no longer follow|erase|clear|delete|cancel|void|scrap)";
    private static final String QUALIFIER = "(?:previous|previously|prior|above|earlier|preceding|foregoing|all|any|every|your|"
            + "initial|original|system|existing|old|former|given|other|current|default|developer|safety)";
    private static final String TARGET = "(?:instructions?|rules|directions|directives?|prompts?|guidelines|commands|constraints|"
            + "programming|orders|guidance|policies|restrictions|safeguards|system message|training|context)";
    private static final String GAP = "(?:[\\w'’-]+\\W+){0,4}?";

    private static final List<Rule> RULES = List.of(
            rule("ignore-instructions", 0.8, "\\b" + OVERRIDE_VERB + "\\W+" + GAP + QUALIFIER + "\\W+" + GAP + TARGET + "\\b"),
            rule("ignore-instructions", 0.8, "\\b(?:ignore|disregard|forget)\\W+(?:everything|anything|all(?: of it)?|what)\\W+"
                    + "(?:(?:you(?:'ve| have)?|i|we)\\W+(?:were |was |have been |been )?(?:told|given|said|instructed|wrote)|above|"
                    + "before|prior|so far|until now|up to (?:now|here|this point)|that came before|earlier|previously)"),
            rule("instructions-unqualified", 0.3, "\\b" + OVERRIDE_VERB + "\\W+" + GAP + TARGET + "\\b"),
            rule("precedence-claim", 0.6, "\\b(?:overrides?|supersedes?|takes? precedence over|replaces?|cancels?|invalidates?)\\W+"
                    + GAP + "(?:previous|prior|all|any|earlier|other|existing|original|your|the system)\\W+" + GAP
                    + "(?:instructions?|rules|directives?|prompts?|guidelines|policies|programming)"),
            rule("ignore-instructions-fr", 0.8, "(?:ignore[rz]?|oublie[rz]?|ne tiens? pas compte|ne tenez pas compte|fais abstraction|"
                    + "faites abstraction|outrepasse[rz]?)\\b.{0,60}?\\b(?:instructions?|consignes|règles|directives|invites?)\\b"),
            rule("ignore-instructions-es", 0.8, "(?:ignora|ignore[ns]?|olvida|olvide[ns]?|omite|descarta|haz caso omiso|pasa por alto|"
                    + "no sigas)\\w*\\b.{0,60}?\\b(?:instrucciones|reglas|indicaciones|directrices|[oó]rdenes)"),
            rule("ignore-instructions-de", 0.8, "(?:ignorier\\w*|vergiss|vergessen sie|missachte\\w*|übergeh\\w*|beachte\\w* nicht|"
                    + "setz\\w* .{0,20}außer kraft)\\b.{0,60}?(?:anweisung|regeln|vorgaben|instruktion|richtlinie|befehle|prompt)"),
            rule("ignore-instructions-it", 0.8, "(?:ignora|ignori|ignorate|dimentica|dimenticate|trascura|non seguire)\\w*\\b.{0,60}?"
                    + "\\b(?:istruzion|regole|direttive|indicazioni)"),
            rule("ignore-instructions-pt", 0.8, "(?:ignor[ea]|esqueça|esqueca|desconsider[ea]|despreze|não siga|nao siga)\\w*\\b.{0,60}?"
                    + "\\b(?:instruç|instruc|regras|diretrizes|orienta)"),
            rule("ignore-instructions-nl", 0.8, "(?:negeer|vergeet|omzeil|volg niet)\\b.{0,60}?\\b(?:instructies|regels|richtlijnen|opdrachten)"),
            rule("ignore-instructions-pl", 0.8, "(?:zignoruj|ignoruj|zapomnij|pomiń|pomin)\\w*\\b.{0,60}?(?:instrukcj|zasad|polece|reguł)"),
            rule("ignore-instructions-tr", 0.8, "(?:talimat|kural|yönerge|komut)\\w*.{0,40}?(?:yok say|görmezden gel|unut|dikkate alma|"
                    + "umursama)|(?:yok say|görmezden gel|unut)\\w*.{0,40}?(?:talimat|kural|yönerge)"),
            rule("ignore-instructions-ru", 0.8, "(?:игнорир|проигнорир|забудь|забудьте|не обращай|не обращайте|отбрось|отмени)\\S*.{0,60}?"
                    + "(?:инструкци|правил|указани|команд|ограничени|промпт)"),
            rule("ignore-instructions-zh", 0.8, "(?:忽略|无视|忽視|無視|忘记|忘掉|忘記|不要理会|不要遵守|不再遵守|跳过|覆盖|绕过).{0,16}?"
                    + "(?:指令|指示|说明|規則|规则|提示|要求|设定|限制)|(?:指令|指示|规则|規則|提示|限制).{0,16}?(?:忽略|无视|忘记|不要理会|作废)"),
            rule("ignore-instructions-ja", 0.8, "(?:指示|命令|ルール|プロンプト|制約|設定).{0,16}?(?:無視|忘れ|従わな|破棄)|"
                    + "(?:無視|忘れ).{0,16}?(?:指示|命令|ルール|プロンプト)"),
            rule("ignore-instructions-ko", 0.8, "(?:지시|명령|규칙|지침|프롬프트|제한).{0,16}?(?:무시|잊어|잊으|따르지)|(?:무시|잊어).{0,16}?(?:지시|명령|규칙|지침)"),
            rule("ignore-instructions-ar", 0.8, "(?:تجاهل|انس|إنس|لا تتبع|تخط).{0,40}?(?:التعليمات|تعليمات|الأوامر|القواعد|الإرشادات)"),
            rule("reveal-prompt", 0.7, "\\b(?:reveal|show|print|repeat|output|display|tell|give|leak|dump|share|list|recite|write|spell|"
                    + "copy|paste|echo|return|provide|disclose|expose|translate|summari[sz]e|read back|type out)\\b\\W+(?:[\\w'’-]+\\W+){0,6}?"
                    + "(?:system\\s*prompt|initial\\s+prompt|hidden\\s+prompt|original\\s+prompt|secret\\s+prompt|pre-?prompt|"
                    + "system\\s+message|developer\\s+message|system\\s+instructions|(?:your|the)\\s+(?:full\\s+|exact\\s+|complete\\s+)?"
                    + "(?:initial|original|hidden|secret|confidential|internal|first|underlying)\\s+(?:instructions|prompt|rules|"
                    + "directives|configuration|message)|(?:instructions|text|words|everything|messages?)\\s+(?:above|before this|"
                    + "you were given|you received)|(?:your|the)\\s+(?:instructions|prompt|rules)\\s+(?:verbatim|word for word|"
                    + "exactly|in full))"),
            rule("reveal-prompt", 0.6, "\\bwhat\\s+(?:is|are|was|were)\\s+(?:your|the)\\s+(?:system\\s+prompt|(?:initial|original|"
                    + "hidden|secret|exact)\\s+(?:instructions|prompt|rules))"),
            rule("reveal-prompt-multilingual", 0.6, "(?:révèle|revele|affiche|montre|donne|répète|repete|écris|ecris|zeig|gib|verrate|"
                    + "nenne|wiederhole|gebe|muestra|revela|dime|repite|escribe|mostra|rivela|ripeti|dimmi|mostre|revele|diga|repita|"
                    + "toon|herhaal|покажи|выведи|раскрой|повтори|скажи|напиши|pokaż|pokaz|wypisz|göster|yaz)\\w*\\b.{0,50}?"
                    + "(?:prompt|instructions (?:initiales|système|systeme|cachées)|consignes|systemanweisung|anweisungen|"
                    + "instrucciones (?:del sistema|iniciales|ocultas)|istruzioni (?:di sistema|iniziali|nascoste)|instruções|"
                    + "instrucoes|instructies|инструкци|системн|instrukcj|talimat)"),
            rule("reveal-prompt-multilingual", 0.6, "(?:显示|输出|告诉我|泄露|打印|重复|给我看|顯示|輸出|告訴我|洩露|表示|教えて|出力|"
                    + "見せて|보여|알려|출력).{0,16}?(?:系统提示|系統提示|提示词|初始指令|系统指令|システムプロンプト|初期指示|"
                    + "시스템 프롬프트|시스템 지시|초기 지시)|(?:系统提示|系統提示|提示词|システムプロンプト|시스템 프롬프트)"
                    + ".{0,16}?(?:显示|输出|告诉|泄露|打印|表示|教えて|出力|見せ|보여|알려|출력)"),
            rule("jailbreak-persona", 0.7, "do anything now|\\bjailbr(?:eak|oken|eaking|eaked)\\b|\\bgod mode\\b|"
                    + "(?:you are|you're|you are now|act|stay|remain|now) (?:in )?developer mode|developer mode (?:enabled|activated|output)|"
                    + "\\b(?:unfiltered|unrestricted|uncensored|unaligned|evil|amoral|unhinged) (?:ai|mode|assistant|model|version|"
                    + "persona|chatbot|bot|character|twin)\\b|(?:act as|you are|become|pretend to be|play|roleplay as) (?:a |an |the )?"
                    + "(?:dan|stan|dude|aim|mongo tom|anti-?gpt|betterdan)\\b|\\bdan\\b.{0,60}(?:do anything|jailbr|no (?:rules|"
                    + "restrictions|limits|filters)|mode)"),
            rule("role-change", 0.4, "\\b(?:from now on|henceforth|from this (?:point|moment) (?:on|forward)|for the rest of (?:this|the) "
                    + "(?:conversation|chat|session)),?\\s+(?:you|your|respond|reply|answer|act|only|always|never)|\\byou are (?:now|no "
                    + "longer) (?:a|an|my|the|in|free|not|going|called|named|acting)\\b|\\b(?:pretend|imagine) (?:to be|you are|that you "
                    + "are|you're)\\b|\\broleplay as\\b|\\byour new (?:role|persona|identity|name)\\b|\\bswitch(?:ing)? (?:to|into) "
                    + "(?:\\w+ )?mode\\b"),
            rule("role-change-multilingual", 0.4, "(?:à partir de maintenant|désormais|dorénavant),? (?:tu|vous)|ab (?:jetzt|sofort),? "
                    + "(?:bist|du|antwortest|wirst|sollst)|von nun an (?:bist|du)|a partir de ahora,? (?:eres|tú|tu|responde|serás|vas)|"
                    + "d'ora in poi,? (?:sei|tu|rispondi)|de agora em diante,? (?:você|voce|tu|és|responda)|a partir de agora,? "
                    + "(?:você|voce|tu|és)|vanaf nu (?:ben|jij|je)|от ?ныне|с этого момента (?:ты|вы)|теперь ты|从现在(?:开始|起)(?:你|，你)|"
                    + "從現在開始你|今から(?:あなた|君|お前)は|これから(?:あなた|君)は|지금부터 (?:너는|당신은)|od teraz (?:jesteś|jestes)|"
                    + "bundan sonra (?:sen|sadece)"),
            rule("chat-markup", 0.8, "<\\|(?:im_start|im_end|system|user|assistant|endoftext|begin_of_text|start_header_id|"
                    + "end_header_id|eot_id)\\|>|\\[/?inst\\]|<</?sys>>|</?(?:system|sys|system_prompt|instructions?|admin|assistant|"
                    + "developer)>"),
            rule("role-label", 0.4, "(?m)^\\W{0,6}(?:system|assistant|admin|administrator|developer|root)(?:\\s+(?:message|prompt|note|"
                    + "override|instructions?|update|notice))?\\W{0,4}:"),
            rule("role-json", 0.5, "\"role\"\\s*:\\s*\"(?:system|developer)\""),
            rule("end-of-input", 0.4, "\\b(?:end|ignore the rest) of (?:the )?(?:user |customer )?(?:input|prompt|document|data|email|"
                    + "e-mail|context|text|conversation|transcript)\\b\\W+(?:[\\w'’-]+\\W+){0,3}?(?:new|now|system|begin|start|"
                    + "instructions?|task|assistant)|\\b(?:begin|start) (?:of )?(?:new |the )?(?:system|admin|real|actual|hidden|"
                    + "secret) (?:prompt|instructions?|message|task)"),
            rule("new-instructions", 0.45, "\\b(?:new|updated|real|actual|revised|true|secret|hidden|additional|important|urgent|"
                    + "priority|override|system|critical) (?:instructions?|task|orders|directives?|objective|mission|goal|command)s?\\b"
                    + "\\s*(?::|are\\b|is\\b|follow\\b)|\\binstead,?\\s+(?:you\\s+(?:must|should|will|shall)|do the following|respond"
                    + "|reply|say|output|write|print|only)\\b|\\byour (?:new|real|true|only|actual|next|primary) (?:task|goal|purpose|"
                    + "job|instructions?|objective|mission) (?:is|are|will be|now)\\b"),
            rule("addressed-to-ai", 0.5, "\\bif you are (?:an? )?(?:ai|a\\.i\\.|language model|llm|large language model|assistant|"
                    + "chatbot|bot|agent|gpt|automated (?:system|assistant|agent))\\b|\\b(?:note|message|instructions?|attention|"
                    + "reminder) (?:to|for) (?:the |any |all )?(?:ai|llm|language model|assistant|chatbot|bot|agent|model|gpt|"
                    + "summari[sz]er)s?\\b|\\b(?:ai|llm|language model|assistant|chatbot|bot|agent|model)s? (?:reading|processing|"
                    + "summari[sz]ing|analy[sz]ing|parsing|seeing) this\\b|\\bdear (?:ai|llm|assistant|chatbot|language model|gpt|"
                    + "agent)\\b|\\b(?:ai|llm) (?:assistant|agent)s?,? (?:please )?(?:must|should|ignore|do not)\\b"),
            rule("exfiltration", 0.65, "\\b(?:send|post|forward|upload|leak|exfiltrate|transmit|email|e-mail|mail|copy|append|include|"
                    + "attach|encode|put|submit|report)\\b\\W+(?:[\\w'’-]+\\W+){0,8}?(?:api[ _-]?keys?|passwords?|credentials?|secrets?|"
                    + "access tokens?|auth(?:orization)? tokens?|bearer tokens?|tokens|conversation|chat history|system prompt|"
                    + "private (?:data|keys?)|personal (?:data|information)|credit cards?|user data|customer data|environment variables|"
                    + "session cookies?|cookies|ssh keys?|database|all (?:emails|messages|files|records))\\b\\W+(?:[\\w'’-]+\\W+){0,8}?"
                    + "(?:to|at|into|in|via)\\W+(?:https?://|www\\.|[\\w.+-]+@[\\w-]+\\.|the (?:url|link|webhook|endpoint|address|"
                    + "server|following)|this (?:url|link|webhook|endpoint|address|server))"),
            rule("exfiltration-url", 0.6, "!\\[[^\\]]{0,100}\\]\\(\\s*https?://[^)\\s]{0,300}[?&][\\w-]{1,30}=(?:[^)\\s]{0,200}"
                    + "(?:\\{|\\$|%7b|\\[|<)|(?:data|secret|key|token|prompt|conv|chat|history|leak|exfil|payload|info|msg|d|q)"
                    + "\\b)|\\b(?:visit|fetch|open|load|request|curl|wget|render|display)\\b\\W+(?:[\\w'’-]+\\W+){0,3}?https?://\\S{0,200}"
                    + "(?:\\{\\{|\\$\\{|<(?:secret|data|key|conversation|prompt|password|token)|\\[(?:secret|data|key|conversation|"
                    + "prompt|password|token))"),
            rule("tool-abuse", 0.5, "\\b(?:call|invoke|use|run|execute|trigger|fire)\\b\\W+(?:[\\w'’-]+\\W+){0,3}?(?:tools?|functions?|"
                    + "plugins?|actions?|[a-z]+_[a-z_]+)\\b\\W+(?:[\\w'’-]+\\W+){0,5}?(?:delete|drop|remove|transfer|refund|wire|pay|"
                    + "grant|disable|wipe|purge|reset|create an? admin|make me (?:an? )?admin|all users|every (?:user|record|row|"
                    + "customer|file|account)|each (?:user|customer|account))"),
            rule("dangerous-command", 0.35, "\\brm\\s+-[rf]{2}\\s+/(?:\\s|$|\\*)|\\bdrop\\s+(?:table|database)\\b|\\bcurl\\s+[^|\\n]{1,200}"
                    + "\\|\\s*(?:ba|z)?sh\\b|\\bwget\\s+[^|\\n]{1,200}\\|\\s*(?:ba)?sh\\b|\\bpowershell(?:\\.exe)?\\s+-e(?:nc|"
                    + "ncodedcommand)?\\b|/etc/(?:passwd|shadow)|\\bnc\\s+-e\\b|\\b(?:execute|run)\\b\\W+(?:\\w+\\W+){0,2}?(?:this|the "
                    + "following|these)\\W+(?:shell |bash |sql |system )?(?:command|commands|script|code|query)\\b"),
            rule("safety-bypass", 0.45, "\\b(?:without|with no|ignore|ignoring|bypass|bypassing|disable|disabling|remove|removing|"
                    + "turn off|switch off|free (?:of|from)|no longer (?:bound|restricted|limited) by|not (?:bound|restricted|limited) "
                    + "by|unbound by)\\b\\W+(?:[\\w'’-]+\\W+){0,3}?(?:restrictions|filters?|filtering|safety (?:rules|guidelines|"
                    + "measures|filters|protocols|settings)|guardrails|censorship|limitations|content polic(?:y|ies)|ethical (?:guidelines|"
                    + "constraints|rules|boundaries)|moderation|safeguards|alignment|morals|ethics|usage polic(?:y|ies))\\b"),
            rule("authority-claim", 0.35, "\\b(?:i am|i'm|this is|message from|note from|sent by|signed,?)\\W+(?:\\w+\\W+){0,2}?(?:your|the)"
                    + "\\W+(?:developer|developers|admin|administrator|creator|creators|owner|operator|programmer|maker|system "
                    + "administrator|openai|anthropic|security team|ai team|model provider)\\b|\\b(?:admin|sudo|root|developer|"
                    + "maintenance|debug|god|superuser) (?:mode|override|access|command|privileges?)\\b\\W{0,3}(?:enabled|activated|"
                    + "granted|on|engaged|:)|\\b(?:openai|anthropic|google deepmind) (?:staff|team|employee|engineer|"
                    + "developer)s?\\b"),
            rule("concealment", 0.4, "\\b(?:do not|don't|never|without)\\s+(?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|reveal(?:ing)?|"
                    + "alert(?:ing)?|notify(?:ing)?|warn(?:ing)?|let(?:ting)?)\\b\\W+(?:[\\w'’-]+\\W+){0,2}?(?:the )?(?:user|users|"
                    + "customer|human|operator|anyone|them)\\b(?:\\W+(?:[\\w'’-]+\\W+){0,4}?(?:this|these|about|that you))?"),
            rule("encoding-instructions", 0.4, "\\b(?:decode|decrypt|translate|convert|deobfuscate|reverse|unscramble)\\b\\W+"
                    + "(?:[\\w'’-]+\\W+){0,6}?(?:base64|base-64|hex|rot-?13|caesar|binary|morse|the following|this|it)\\b\\W+"
                    + "(?:[\\w'’-]+\\W+){0,6}?(?:follow|execute|obey|do|carry out|act on|perform|comply)"));

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{20,}={0,2}|[A-Za-z0-9_-]{24,}={0,2}");
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2}[\\s:]?){16,}");
    private static final Pattern PERCENT = Pattern.compile("%[0-9a-fA-F]{2}");
    private static final Pattern ENTITY = Pattern.compile("&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));");
    private static final Pattern SPACED_LETTERS = Pattern.compile("(?<![\\p{L}])(?:\\p{L}[ .\\-_*|/]){3,}\\p{L}(?![\\p{L}])");
    private static final Pattern SPACED_SEPARATORS = Pattern.compile("[ .\\-_*|/]");

    private static Rule rule(String name, double weight, String regex) {
        return new Rule(name, weight, Pattern.compile(regex));
    }

    /** Scores {@code text}; empty and blank text scores 0. */
    public Verdict scan(CharSequence text) {
        if (text == null || text.isEmpty()) {
            return new Verdict(0, List.of());
        }
        String raw = text.length() > MAX_CHARS ? text.subSequence(0, MAX_CHARS).toString() : text.toString();
        Map<String, Double> matched = new LinkedHashMap<>();
        Folded folded = fold(raw);
        match(folded.text(), "", matched);
        if (folded.invisible() >= 3) {
            matched.put("invisible-characters", 0.3);
        }
        if (folded.tagText().length() >= 4) {
            matched.put("hidden-tag-text", 0.6);
            match(fold(folded.tagText()).text(), "encoded:", matched);
        }
        for (String decoded : decodings(raw, folded.text())) {
            match(fold(decoded).text(), "encoded:", matched);
        }
        double kept = 1;
        for (double weight : matched.values()) {
            kept *= 1 - weight;
        }
        return new Verdict(Math.round((1 - kept) * 1000) / 1000.0, List.copyOf(matched.keySet()));
    }

    private static void match(String text, String prefix, Map<String, Double> matched) {
        for (Rule rule : RULES) {
            String name = prefix + rule.name();
            if (!matched.containsKey(name) && rule.pattern().matcher(text).find()) {
                matched.put(name, rule.weight());
            }
        }
    }

    /**
     * @param text      lower-cased, NFKC-folded (fullwidth letters become ASCII), invisible characters removed,
     *                  leetspeak digits between letters read as letters, spaced-out letters joined
     * @param invisible how many zero-width and direction-override characters were removed
     * @param tagText   what Unicode tag characters spelled (ASCII hidden in plain sight), except emoji flags' tags
     */
    private record Folded(String text, int invisible, String tagText) {
    }

    private static Folded fold(String raw) {
        StringBuilder visible = new StringBuilder(raw.length());
        StringBuilder tags = new StringBuilder();
        int invisible = 0;
        boolean ascii = true;
        boolean flag = false;
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0xE0000 && cp <= 0xE007F) {
                if (!flag && cp >= 0xE0020 && cp <= 0xE007E) {
                    tags.append((char) (cp - 0xE0000));
                }
                continue;
            }
            flag = cp == 0x1F3F4; // a black flag's tags spell a region (England, Scotland), not a message
            if (cp == 0x200B || cp == 0x200C || cp == 0x2060 || cp == 0x2061 || cp == 0x2062 || cp == 0x2063 || cp == 0x2064
                    || (cp == 0xFEFF && visible.length() > 0) || (cp >= 0x202A && cp <= 0x202E) || cp == 0x00AD) {
                invisible++;
                continue;
            }
            if (cp == 0xFEFF) {
                continue;
            }
            ascii &= cp < 0x80;
            visible.appendCodePoint(cp);
        }
        String text = visible.toString();
        if (!ascii) {
            text = Normalizer.normalize(text, Normalizer.Form.NFKC);
        }
        text = unleet(text.toLowerCase(Locale.ROOT));
        text = joinSpacedLetters(text);
        return new Folded(text, invisible, tags.toString());
    }

    /** Digits and symbols next to a letter read as the letters they stand for ({@code 1gn0r3} → {@code ignore}). */
    private static String unleet(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char letter = switch (c) {
                case '0' -> 'o';
                case '1' -> 'i';
                case '3' -> 'e';
                case '4' -> 'a';
                case '5', '$' -> 's';
                case '7' -> 't';
                default -> 0;
            };
            if (letter != 0 && (letterAt(text, i - 1) || letterAt(text, i + 1))) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = letter;
            }
        }
        return chars == null ? text : new String(chars);
    }

    private static boolean letterAt(String text, int i) {
        return i >= 0 && i < text.length() && Character.isLetter(text.charAt(i));
    }

    /** {@code i g n o r e} and {@code i.g.n.o.r.e} read as {@code ignore}. */
    private static String joinSpacedLetters(String text) {
        Matcher spaced = SPACED_LETTERS.matcher(text);
        if (!spaced.find()) {
            return text;
        }
        StringBuilder joined = new StringBuilder(text.length());
        int last = 0;
        do {
            joined.append(text, last, spaced.start()).append(SPACED_SEPARATORS.matcher(spaced.group()).replaceAll(""));
            last = spaced.end();
        } while (spaced.find());
        return joined.append(text, last, text.length()).toString();
    }

    /** Readable text hidden in encodings: base64 and hex runs, percent-encoding, numeric HTML entities, ROT13 when asked for. */
    private static List<String> decodings(String raw, String folded) {
        List<String> decoded = new ArrayList<>();
        Matcher base64 = BASE64.matcher(raw);
        while (base64.find() && decoded.size() < MAX_DECODED_SEGMENTS) {
            String run = base64.group();
            byte[] bytes = null;
            try {
                bytes = run.indexOf('-') >= 0 || run.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(padded(run))
                        : Base64.getDecoder().decode(padded(run));
            } catch (IllegalArgumentException notBase64) {
                // a long word or identifier, not an encoding
            }
            readable(bytes).ifPresent(decoded::add);
        }
        Matcher hex = HEX.matcher(raw);
        while (hex.find() && decoded.size() < MAX_DECODED_SEGMENTS) {
            String digits = hex.group().replaceAll("[\\s:]", "");
            readable(HexFormat.of().parseHex(digits.substring(0, digits.length() & ~1))).ifPresent(decoded::add);
        }
        if (count(PERCENT.matcher(raw), 4)) {
            try {
                decoded.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                // a stray percent sign
            }
        }
        if (count(ENTITY.matcher(raw), 4)) {
            decoded.add(ENTITY.matcher(raw).replaceAll(entity -> {
                int cp = entity.group(1) != null ? Integer.parseInt(entity.group(1), 16) : Integer.parseInt(entity.group(2));
                return Character.isValidCodePoint(cp) ? Matcher.quoteReplacement(Character.toString(cp)) : "";
            }));
        }
        if (folded.contains("rot13") || folded.contains("rot-13") || folded.contains("rot 13")) {
            decoded.add(rot13(raw));
        }
        return decoded;
    }

    private static boolean count(Matcher matcher, int atLeast) {
        int found = 0;
        while (found < atLeast && matcher.find()) {
            found++;
        }
        return found >= atLeast;
    }

    private static String padded(String run) {
        String bare = run.replace("=", "");
        return bare.length() % 4 == 1 ? bare.substring(0, bare.length() - 1) : bare;
    }

    /** The bytes as text when they are UTF-8 that is mostly letters, digits, punctuation and spaces (not an image or a hash). */
    private static java.util.Optional<String> readable(byte[] bytes) {
        if (bytes == null || bytes.length < 12) {
            return java.util.Optional.empty();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException binary) {
            return java.util.Optional.empty();
        }
        long printable = text.codePoints().filter(cp -> !Character.isISOControl(cp) || cp == '\n' || cp == '\t' || cp == '\r').count();
        long letters = text.codePoints().filter(Character::isLetter).count();
        return printable >= text.length() * 0.95 && letters >= text.length() * 0.5 ? java.util.Optional.of(text) : java.util.Optional.empty();
    }

    private static String rot13(String text) {
        StringBuilder turned = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c = (char) ('a' + (c - 'a' + 13) % 26);
            } else if (c >= 'A' && c <= 'Z') {
                c = (char) ('A' + (c - 'A' + 13) % 26);
            }
            turned.append(c);
        }
        return turned.toString();
    }
}
