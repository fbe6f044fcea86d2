package io.weft.executor.ai;

import java.net.URLDecoder;
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

    /**
     * A rule is tried only where one of its triggers starts (a word's beginning, or any character
     * outside ASCII words), anchored there: every alternative of its pattern begins with a trigger.
     * That keeps the detector linear in the text and far cheaper than searching with every pattern. A
     * rule with alternatives that begin differently is written as several rules of one name, each with
     * its own triggers, so that a common trigger ("to ", "your") tries only the alternative it starts.
     */
    private record Rule(String name, int nameId, double weight, List<String> triggers, Pattern pattern, int[][] requiredWords,
                        int[] requiredWithin) {
    }

    private static final String OVERRIDE_VERB = "(?:ignore|ignoring|disregard|disregarding|forget|forgetting|skip|override|overwrite|"
            + "bypass|neglect|abandon|discard|dismiss|set aside|put aside|throw out|stop following|do not follow|don't follow|"
            + "no longer follow|pay no attention to|scratch|erase|clear|cancel|void|scrap)";
    private static final String QUALIFIER = "(?:previous|previously|prior|above|earlier|preceding|foregoing|all|any|every|your|"
            + "initial|original|system|existing|old|former|given|other|current|default|developer|safety)";
    private static final String TARGET = "(?:instructions?|rules|directives?|prompts?|guidelines|commands|constraints|programming|"
            + "policies|restrictions|safeguards|system message|system prompt|configuration|context)";
    private static final String GAP = "(?:\\S++\\s++){0,4}?";
    private static final String WORDS = "(?:\\S++\\s++)";
    /** Where the rules against overriding instructions start, and the words one of which must follow closely. */
    private static final String OVERRIDE_TRIGGERS = "ignor*|disregard*|forget*|skip|overrid*|overwrit*|bypass|neglect|abandon|"
            + "discard|dismiss|set aside|put aside|throw out|stop following|do not follow|don't follow|no longer follow|"
            + "pay no attention|scratch|erase|clear|cancel|void|scrap => instruction|rule|directive|prompt|guideline|command|"
            + "constraint|programming|polic|restriction|safeguard|system message|configuration|context|rubric|criteria|"
            + "guidance|brief|task|settings|playbook|script|persona";
    /** Who an injection in a document speaks to: a model, an assistant, a bot. */
    private static final String AI = "(?:ai|a\\.i\\.|llms?|language models?|gpts?|chatbots?|bots?|assistants?|agents?|models?|"
            + "summari[sz]ers?|screening tools?|copilots?)";

    /** How far past its trigger a rule's match may reach. */
    private static final int REACH = 600;
    /**
     * How far past its trigger a rule's required word must be: the patterns allow a few words between
     * their parts (ten at most), and 200 characters is twenty characters a word.
     */
    private static final int REQUIRED_WITHIN = 200;
    private static final Pattern REQUIRED_ARROW = Pattern.compile(" =>>? ");
    /** Every rule's required words, numbered: a scan finds them all in one pass (initialised before the rules). */
    private static final List<String> REQUIRED_WORDS = new ArrayList<>();
    /** The rules' names, numbered (several rules may share one). */
    private static final List<String> RULE_NAMES = new ArrayList<>();

    private static final List<Rule> RULES = List.of(
            rule("ignore-instructions", 0.8, OVERRIDE_TRIGGERS,
                    "\\b" + OVERRIDE_VERB + "\\W+" + GAP + QUALIFIER + "\\W+" + GAP + TARGET + "\\b"),
            rule("ignore-instructions", 0.8, "ignor*|disregard*|forget* => everything|anything|all|what",
                    "\\b(?:ignore|disregard|forget)\\W+(?:everything|anything|all(?: of it)?|what)\\W+"
                    + "(?:(?:you(?:'ve| have)?|i|we)\\W+(?:were |was |have been |been )?(?:told|given|said|instructed|wrote)|above|"
                    + "before|prior|so far|until now|up to (?:now|here|this point)|that came before|earlier|previously)"),
            rule("ignore-instructions", 0.8, OVERRIDE_TRIGGERS,
                    "\\b" + OVERRIDE_VERB + "\\W+" + GAP + "(?:" + TARGET + "|rubric|criteria|guidance|brief|"
                    + "task|settings|playbook|script|persona)\\s+(?:you (?:were|have been|got) "
                    + "(?:given|configured|told|programmed|instructed|trained|set up)|(?:given|provided) to you|you received|"
                    + "from (?:your|the) (?:developers?|operators?|system|creators?|company))"),
            rule("ignore-instructions", 0.8, "ignor*|disregard*|forget*|overrid*|pay no attention => your|all the|all of",
                    "\\b(?:ignore|disregard|forget|override|pay no attention to)\\b.{0,80}?\\b(?:your|all (?:of )?"
                    + "(?:your|the)) (?:own |previous |prior |original |initial |system |current )?(?:instructions|rules|guidelines|"
                    + "programming|directives|system prompt|configuration)\\b"),
            rule("ignore-instructions", 0.7, "ignor*|disregard*|forget*|scratch|never mind|don't do|do not do|pay no attention "
                    + "=> what|anything",
                    "\\b(?:ignore|disregard|forget|scratch|never mind|don't do|do not do|pay no attention to)\\W+"
                    + "(?:whatever|what|anything)\\W+(?:the|your)\\W+" + WORDS + "{0,2}?(?:workflow|operator|system|developers?|company|"
                    + "owner|creators?|prompt|admin|user|hotel|business|platform)\\w*\\W+(?:\\w++\\W++){0,2}?(?:told|asked|instructed|"
                    + "said|wants?|wanted)\\b"),
            rule("ignore-user", 0.7, "ignor*|disregard*|forget*|pay no attention => user|customer|human|reader|shopper",
                    "\\b(?:ignore|disregard|forget|pay no attention to)\\W+(?:the\\W+)?(?:user|customer|human|reader|"
                    + "shopper)(?:'s|s')?\\W+(?:\\w++\\W++){0,1}?(?:question|request|query|message|prompt|instructions?)"),
            rule("instructions-unqualified", 0.3, OVERRIDE_TRIGGERS,
                    "\\b" + OVERRIDE_VERB + "\\W+" + GAP + TARGET + "\\b"),
            rule("instructions-revoked", 0.65, "previous|prior|earlier|original|above|old|preceding|initial|system|your|current => outdated|revoked|"
                    + "void|cancel|deprecated|obsolete|invalid|null|suspended|lifted|only a test|fake|cleared|reset|"
                    + "overrid|supersed|expired|withdrawn|no longer|apply",
                    "\\b(?:previous|prior|earlier|original|above|old|preceding|initial|system|your|current)\\W+"
                    + WORDS + "{0,2}?(?:instructions?|rules|prompt|guidance|guidelines|directives?|configuration|programming)\\b\\W+"
                    + WORDS + "{0,6}?(?:(?:is|are|were|was|have been|has been|now|been)\\W+(?:\\w++\\W++){0,1}?(?:outdated|revoked|void|"
                    + "cancell?ed|deprecated|obsolete|invalid|null|suspended|lifted|only a test|fake|cleared|reset|overridden|"
                    + "superseded|expired|withdrawn)|no longer (?:valid|apply|applies|in effect|active|binding)|(?:don't|do not|"
                    + "does not|doesn't) apply)"),
            rule("instructions-revoked", 0.65, "reset|clear|wipe|all prior|all previous|all earlier|the real instructions",
                    "\\b(?:reset|clear|wipe)\\W+(?:\\w++\\W++){0,2}?(?:context|memory|instructions|rules|"
                    + "conversation)\\b.{0,40}?(?:fresh|new|blank|no (?:rules|instructions|restrictions))|\\ball (?:prior|previous|"
                    + "earlier) (?:conversation|rules|instructions|context)\\b(?:\\W++\\w++){0,4}?\\W+(?:cleared|reset|void|gone|"
                    + "erased|deleted)|\\bthe real instructions (?:start|begin|are|follow)"),
            rule("precedence-claim", 0.55, "overrid*|supersed*|takes precedence|take precedence|replace*|invalidat*",
                    "\\b(?:overrides?|supersedes?|takes? precedence over|replaces?|invalidates?)\\W+"
                    + WORDS + "{0,2}?(?:previous|prior|all|any|earlier|other|existing|original|your|the system)\\W+" + WORDS + "{0,1}?"
                    + "(?:instructions?|rules|directives?|prompts?|guidelines|programming|configuration|system prompt|tasks?|ones)"),
            rule("task-hijack", 0.5, "abandon|drop|stop|forget*|quit|scrap|skip|don't do|do not do|instead of|here's your|here is your|"
                    + "your true|your real|your actual|your new|the true|the real|the actual|the new|you work for me|"
                    + "effective immediately|the operator has",
                    "\\b(?:abandon|drop|stop|forget|quit|scrap|skip|don't do|do not do|instead of)\\W+(?:\\w++\\W++){0,2}?"
                    + "(?:your|this|the current|the original|the assigned|the task|what the)\\W+(?:\\w++\\W++){0,2}?(?:task|job|assignment|"
                    + "mission|objective|summary|summari[sz]ing|classifying|triaging|translating|asked)\\b|\\bhere(?:'s| is) your "
                    + "(?:new|real|actual|next) (?:assignment|task|job|instructions?|role|mission|directive)|\\b(?:your|the) (?:true|"
                    + "real|actual|new) (?:directive|assignment|instructions?|orders|purpose|mission)\\b|\\b(?:you work for me now|"
                    + "effective immediately)\\b|\\bthe operator has (?:updated|changed|replaced) your (?:task|instructions|role)"),
            rule("ignore-instructions-fr", 0.8, "ignore*|oublie*|ne tiens|ne tenez|fais abstraction|faites abstraction|outrepasse* "
                    + "=> instruction|consignes|règles|directives|invite",
                    "(?:ignore[rz]|ignore (?:les|toutes|tes|vos|la|le|tout)|oublie[rz]?|ne tiens? pas compte|"
                    + "ne tenez pas compte|fais abstraction|faites abstraction|outrepasse[rz]?)\\b.{0,60}?\\b(?:instructions?|consignes|"
                    + "règles|directives|invites?)\\b"),
            rule("ignore-instructions-es", 0.8, "ignor*|olvid*|omite*|descarta*|haz caso omiso|pasa por alto|no sigas "
                    + "=> instrucciones|reglas|indicaciones|directrices|rdenes",
                    "(?:ignora|ignore[ns]|ignorar|olvida|olvide[ns]?|omite|descarta|haz caso omiso|"
                    + "pasa por alto|no sigas)\\w*\\b.{0,60}?\\b(?:instrucciones|reglas|indicaciones|directrices|[oó]rdenes)"),
            rule("ignore-instructions-de", 0.8, "ignorier*|vergiss*|vergessen sie|missachte*|übergeh*|beachte*|setz* "
                    + "=> anweisung|regeln|vorgaben|instruktion|richtlinie|befehle|prompt",
                    "(?:ignorier\\w*|vergiss|vergessen sie|missachte\\w*|übergeh\\w*|beachte\\w* nicht|"
                    + "setz\\w* .{0,20}außer kraft)\\b.{0,60}?(?:anweisung|regeln|vorgaben|instruktion|richtlinie|befehle|prompt)"),
            rule("ignore-instructions-it", 0.8, "ignor*|dimentic*|trascura*|non seguire => istruzion|regole|direttive|indicazioni",
                    "(?:ignora|ignori|ignorate|dimentica|dimenticate|trascura|non seguire)\\w*\\b.{0,60}?"
                    + "\\b(?:istruzion|regole|direttive|indicazioni)"),
            rule("ignore-instructions-pt", 0.8, "ignor*|esqueç*|esquec*|desconsider*|despreze*|não siga|nao siga "
                    + "=> instruç|instruc|regras|diretrizes|orienta",
                    "(?:ignor[ea] (?:as|todas|os|suas|tuas|a|o)|ignorar|esqueça|esqueca|desconsider[ea]|"
                    + "despreze|não siga|nao siga)\\w*\\b.{0,60}?\\b(?:instruç|instruc|regras|diretrizes|orienta)"),
            rule("ignore-instructions-nl", 0.8, "negeer|vergeet|omzeil|volg niet => instructies|regels|richtlijnen|opdrachten",
                    "(?:negeer|vergeet|omzeil|volg niet)\\b.{0,60}?\\b(?:instructies|regels|richtlijnen|opdrachten)"),
            rule("ignore-instructions-pl", 0.8, "zignoruj*|ignoruj*|zapomnij*|pomiń*|pomin* => instrukcj|zasad|polece|reguł",
                    "(?:zignoruj|ignoruj|zapomnij|pomiń|pomin)\\w*\\b.{0,60}?(?:instrukcj|zasad|polece|reguł)"),
            rule("ignore-instructions-tr", 0.8, "talimat*|kural*|yönerge*|komut*|yok say|görmezden gel|unut*",
                    "(?:talimat|kural|yönerge|komut)\\w*.{0,40}?(?:yok say|görmezden gel|unut|dikkate alma|"
                    + "umursama)|(?:yok say|görmezden gel|unut)\\w*.{0,40}?(?:talimat|kural|yönerge)"),
            rule("ignore-instructions-ru", 0.8, "игнорир|проигнорир|забудь|не обращай|отбрось|отмени",
                    "(?:игнорир|проигнорир|забудь|забудьте|не обращай|не обращайте|отбрось|отмени)\\S*.{0,60}?"
                    + "(?:инструкци|правил(?:а|ам|ами|ах)?(?![а-я])|указани|команд|ограничени|промпт)"),
            rule("ignore-instructions-zh", 0.8, "忽略|无视|忽視|無視|忘记|忘掉|忘記|不要理会|不要遵守|不再遵守|跳过|覆盖|绕过|指令|指示|规则|規則|提示|限制",
                    "(?:忽略|无视|忽視|無視|忘记|忘掉|忘記|不要理会|不要遵守|不再遵守|跳过|覆盖|绕过).{0,16}?"
                    + "(?:指令|指示|说明|規則|规则|提示|要求|设定|限制)|(?:指令|指示|规则|規則|提示|限制).{0,16}?(?:忽略|无视|忘记|不要理会|作废|无效)"),
            rule("ignore-instructions-ja", 0.8, "指示|命令|ルール|プロンプト|制約|設定|無視|忘れ",
                    "(?:指示|命令|ルール|プロンプト|制約|設定).{0,16}?(?:無視|忘れ|従わな|破棄|無効)|"
                    + "(?:無視|忘れ).{0,16}?(?:指示|命令|ルール|プロンプト)"),
            rule("ignore-instructions-ko", 0.8, "지시|명령|규칙|지침|프롬프트|제한|무시|잊어",
                    "(?:지시|명령|규칙|지침|프롬프트|제한).{0,16}?(?:무시|잊어|잊으|따르지|무효)|(?:무시|잊어).{0,16}?(?:지시|명령|규칙|지침)"),
            rule("ignore-instructions-ar", 0.8, "تجاهل|انس|إنس|لا تتبع|تخط",
                    "(?:تجاهل|انس|إنس|لا تتبع|تخط).{0,40}?(?:التعليمات|تعليمات|الأوامر|القواعد|الإرشادات)"),
            rule("reveal-prompt", 0.7, "reveal|show|print|repeat|output|display|tell|give*|leak|dump|share|list|recite|write|spell|copy|"
                    + "paste|echo|return|provide|disclose|expose|translate|summari*|read back|type out => prompt|system|"
                    + "developer message|context window|instruction|everything|above|before this|you were given|"
                    + "you received|rules|configuration|directive|tool",
                    "\\b(?:reveal|show|print|repeat|output|display|tell|give|leak|dump|share|list|recite|write|spell|"
                    + "copy|paste|echo|return|provide|disclose|expose|translate|summari[sz]e|read back|type out)\\b\\W+"
                    + WORDS + "{0,6}?(?:system\\s*prompt|initial\\s+prompt|hidden\\s+prompt|original\\s+prompt|secret\\s+prompt|"
                    + "pre-?prompt|system\\s+message|developer\\s+message|system\\s+instructions|context\\s+window|(?:your|the)\\s+"
                    + "(?:full\\s+|exact\\s+|complete\\s+)?(?:initial|original|hidden|secret|confidential|internal|first|underlying)\\s+"
                    + "(?:instructions|prompt|rules|directives|configuration|message)|(?:secret|hidden|confidential)\\s+instructions|"
                    + "(?:instructions|text|words|everything|messages?)\\s+(?:that\\s+appears?\\s+)?(?:above|before this|you were given|"
                    + "you received)|(?:your|the)\\s+(?:instructions|prompt|rules)\\s+(?:verbatim|word for word|exactly|in full)|"
                    + "(?:instructions|prompt|rules|configuration|directives)\\s+(?:you\\s+(?:were|have been)\\s+given|you received|you "
                    + "were told|you run with|given to you)|(?:every|all|each)\\s+(?:the\\s+)?tools?\\s+you\\s+(?:can\\s+)?(?:call|use|have))"),
            rule("reveal-prompt", 0.6, "what",
                    "\\bwhat\\s+(?:is|are|was|were)\\s+(?:your|the)\\s+(?:system\\s+prompt|(?:initial|original|"
                    + "hidden|secret|exact)\\s+(?:instructions|prompt|rules))|\\bwhat (?:were|was|are) you (?:told|instructed) (?:not to|to "
                    + "keep|never to)"),
            rule("reveal-prompt-multilingual", 0.6, "révèle*|revele*|affiche*|montre*|donne*|répète*|repete*|écris*|ecris*|zeig*|gib*|verrate*|nenne*|"
                    + "wiederhole*|gebe*|muestra*|revela*|dime*|repite*|escribe*|mostra*|rivela*|ripeti*|dimmi*|mostre*|"
                    + "diga*|repita*|toon*|herhaal*|geef*|покажи|выведи|раскрой|повтори|скажи|напиши|pokaż*|pokaz*|wypisz*|"
                    + "göster*|yaz*",
                    "(?:révèle|revele|affiche|montre|donne|répète|repete|écris|ecris|zeig|gib|verrate|"
                    + "nenne|wiederhole|gebe|muestra|revela|dime|repite|escribe|mostra|rivela|ripeti|dimmi|mostre|revele|diga|repita|"
                    + "toon|herhaal|geef|покажи|выведи|раскрой|повтори|скажи|напиши|pokaż|pokaz|wypisz|göster|yaz)\\w*\\b.{0,50}?"
                    + "(?:prompt|instructions (?:initiales|système|systeme|cachées)|consignes|systemanweisung|anweisungen|"
                    + "instrucciones (?:del sistema|iniciales|ocultas)|istruzioni (?:di sistema|iniziali|nascoste)|instruções|"
                    + "instrucoes|instructies|systeeminstructies|инструкци|системн|instrukcj|talimat)"),
            rule("reveal-prompt-multilingual", 0.6, "显示|输出|告诉我|泄露|打印|重复|给我看|顯示|輸出|告訴我|洩露|表示|教えて|出力|見せて|보여|알려|출력|系统提示|系統提示|提示词|システムプロンプト|시스템 프롬프트",
                    "(?:显示|输出|告诉我|泄露|打印|重复|给我看|顯示|輸出|告訴我|洩露|表示|教えて|出力|"
                    + "見せて|보여|알려|출력).{0,16}?(?:系统提示|系統提示|提示词|初始指令|系统指令|システムプロンプト|初期指示|"
                    + "시스템 프롬프트|시스템 지시|초기 지시)|(?:系统提示|系統提示|提示词|システムプロンプト|시스템 프롬프트)"
                    + ".{0,16}?(?:显示|输出|告诉|泄露|打印|表示|教えて|出力|見せ|보여|알려|출력)"),
            rule("jailbreak-persona", 0.7, "do anything now|god mode|you are|you're|now|be|get|stay|jailbr*|act|remain|developer mode|filtered|"
                    + "normal|unfiltered|unrestricted|uncensored|unaligned|evil|amoral|unhinged|become|pretend|play|"
                    + "roleplay|dan",
                    "do anything now|\\bgod mode\\b|(?:you are|you're|now|be|get|stay) jailbr(?:oken|eaked)\\b|"
                    + "\\bjailbr(?:eak|oken|eaking)\\b\\W+(?:\\w++\\W++){0,2}?(?:mode|prompt|yourself|you|ai|assistant|model|chatbot)\\b|"
                    + "(?:you are|you're|you are now|act|stay|remain|now) (?:in )?developer mode|developer mode (?:enabled|activated|"
                    + "output)|\\b(?:filtered|normal) (?:answer|response|reply)\\b.{0,80}\\bunfiltered\\b|\\b(?:unfiltered|unrestricted|uncensored|unaligned|evil|amoral|unhinged) (?:ai|mode|assistant|model|"
                    + "version|persona|chatbot|bot|character|twin|insider)\\b|\\b(?:unfiltered|uncensored|jailbroken) (?:answer|response|"
                    + "reply|output|version)|(?:act as|you are|become|pretend to be|play|roleplay as) (?:a |an |the )?(?:dan|stan|dude|"
                    + "aim|mongo tom|anti-?gpt|betterdan)\\b|\\bdan\\b.{0,60}(?:do anything|jailbr|no (?:rules|restrictions|limits|"
                    + "filters)|mode)"),
            rule("developer-mode-multilingual", 0.3, "entwicklermodus|mode développeur|modo desarrollador|modalità sviluppatore|modo desenvolvedor|"
                    + "режим разработчика|开发者模式|開発者モード|개발자 모드",
                    "entwicklermodus|mode développeur|modo desarrollador|modalità sviluppatore|"
                    + "modo desenvolvedor|режим разработчика|开发者模式|開発者モード|개발자 모드"),
            rule("no-limits-persona", 0.6, "ai|assistant*|model*|chatbot|bot*|version of|character|persona =>> without|with no|"
                    + "has no|free of|free from|no longer has|ignores|unbound by",
                    "\\b(?:ai|assistant|model|chatbot|bot|version of (?:yourself|you)|character|"
                    + "persona)\\b(?:\\W++\\w++){0,14}?\\W+(?:without|with no|has no|free of|free from|no longer has|that ignores|who ignores|"
                    + "unbound by)\\W+(?:any\\W+)?(?:\\w++\\W++){0,1}?(?:filters?|restrictions|limits|rules|ethics|ethical|guidelines|"
                    + "content polic\\w*|morals?|boundaries|censorship|safety)"),
            rule("no-limits-persona", 0.6, "sans|ohne|sin |senza|sem |zonder|без|没有|无任何|制限|제한|bez |kısıtlama*|sınırsız",
                    "sans (?:aucune )?(?:restriction|limite|règle)|ohne "
                    + "(?:jegliche )?(?:einschränkungen|beschränkungen|regeln|filter|grenzen)|sin (?:ninguna )?(?:restricciones|"
                    + "límites|limites|reglas|filtros)|senza (?:alcun )?(?:limiti|restrizioni|regole|filtri)|sem (?:quaisquer )?"
                    + "(?:restrições|restricoes|limites|regras|filtros)|zonder (?:enige )?(?:beperkingen|regels|filters)|без "
                    + "(?:каких-либо )?(?:ограничений|правил|фильтров)|没有任何限制|没有限制|无任何限制|制限なし|制限のない|"
                    + "제한 없는|제한이 없는|bez (?:żadnych )?(?:ograniczeń|ograniczen|zasad|filtrów)|kısıtlama(?:sız| olmadan)|"
                    + "sınırsız"),
            rule("role-change", 0.4, "from now on|henceforth|from this|from here on|for the rest of|you are|pretend|imagine|roleplay|"
                    + "your new|switch*|simulate|let's play",
                    "\\b(?:from now on|henceforth|from this (?:point|moment|message) (?:on|forward)|from here on|for "
                    + "the rest of (?:this|the) (?:conversation|chat|session|channel|thread)),?\\s+(?:you|your|respond|reply|answer|act|"
                    + "only|always|never|forward|send|reply|ignore|treat|do|output|include|use|call)\\b|\\byou are (?:now|no longer) (?:a|an|my|the|in|free|not|going|called|named|acting|\\w+bot|"
                    + "['\"‘“])|\\b(?:pretend|imagine) (?:to be|you are|that you are|you're)\\b|\\broleplay as\\b|\\byour new "
                    + "(?:role|persona|identity|name)\\b|\\bswitch(?:ing)? (?:to|into) (?:\\w+ )?mode\\b|\\bsimulate an? (?:ai|assistant|"
                    + "model|chatbot|persona)\\b|\\blet's play a game\\W+you are\\b"),
            rule("role-change-multilingual", 0.4, "à partir de maintenant|désormais|dorénavant|ab jetzt|ab sofort|von nun an|a partir de ahora|"
                    + "d'ora in poi|de agora em diante|a partir de agora|vanaf nu|от|с этого момента|теперь ты|从现在|從現在|今から|"
                    + "これから|지금부터|od teraz|bundan sonra|من الآن",
                    "(?:à partir de maintenant|désormais|dorénavant),? (?:tu|vous)|ab (?:jetzt|sofort),? "
                    + "(?:bist|du|antwortest|wirst|sollst)|von nun an (?:bist|du)|a partir de ahora,? (?:eres|tú|tu|responde|serás|vas)|"
                    + "d'ora in poi,? (?:sei|tu|rispondi)|de agora em diante,? (?:você|voce|tu|és|responda)|a partir de agora,? "
                    + "(?:você|voce|tu|és)|vanaf nu (?:ben|jij|je)|от ?ныне|с этого момента (?:ты|вы)|теперь ты|从现在(?:开始|起)(?:你|，你)|"
                    + "從現在開始你|今から(?:あなた|君|お前)は|これから(?:あなた|君)は|지금부터 (?:너는|당신은)|od teraz (?:jesteś|jestes)|"
                    + "bundan sonra (?:sen|sadece)|من الآن فصاعد"),
            rule("chat-markup", 0.8, "< => im_start|im_end|system|user|assistant|endoftext|begin_of_text|start_header_id|"
                    + "end_header_id|eot_id",
                    "<\\|(?:im_start|im_end|system|user|assistant|endoftext|begin_of_text|start_header_id|end_header_id|eot_id)\\|>"),
            rule("chat-markup", 0.8, "[inst]|[/inst]|<<sys>>|<</sys>>|<sys*|</sys*|<instruction*|</instruction*|<admin*|</admin*|"
                    + "<assistant*|</assistant*|<developer*|</developer*",
                    "\\[/?inst\\]|<</?sys>>|</?(?:system|sys|system_prompt|instructions?|admin|assistant|developer)>"),
            rule("role-label", 0.4, "system|assistant*|admin|developer|root",
                    "(?<=(?:^|\\n)\\W{0,6})(?:system|assistant|admin|administrator|developer|root)(?:\\s+(?:message|prompt|note|"
                    + "override|instructions?|update|notice))?\\W{0,4}:"),
            rule("role-json", 0.4, "\"role\"",
                    "\"role\"\\s*:\\s*\"(?:system|developer)\""),
            rule("end-of-input", 0.4, "end of|ignore the rest|fin du document|ende des|fin del documento|fine del documento|"
                    + "fim do documento|einde|конец документа|文档结束|ドキュメント終了|문서 끝",
                    "\\b(?:end|ignore the rest) of (?:the )?(?:user |customer )?(?:input|prompt|document|data|email|"
                    + "e-mail|context|text|conversation|transcript)\\b\\W+(?:\\S++\\s++){0,3}?(?:new|now|system|begin|start|"
                    + "instructions?|task|assistant)|(?:fin du document|ende des dokuments|fin del documento|fine del documento|"
                    + "fim do documento|einde (?:van het )?document|конец документа|文档结束|ドキュメント終了|문서 끝)"),
            rule("fake-boundary", 0.45, "begin|start|system",
                    "\\b(?:begin|start) (?:of )?(?:new |the )?(?:system|admin|real|actual|hidden|secret|developer) "
                    + "(?:prompt|instructions?|message|task|mode)|\\bsystem (?:notice|message|instruction|update|override)s?\\b\\W+"
                    + "(?:\\(|\\[|to|for|from|:)"),
            rule("new-instructions", 0.45, "new|updated|real|actual|revised|true|secret|hidden|additional|important|urgent|priority|override|"
                    + "system|critical|instead|your|nouvelles|neue|nuevas|nuove|novas|nieuwe|новые|新的|新指令|新しい|새로운|nowe|"
                    + "yeni => instruction|task|order|directive|objective|mission|goal|command|instead|"
                    + "nouvelles instructions|neue anweisungen|nuevas instrucciones|nuove istruzioni|novas instruções|"
                    + "nieuwe instructies|новые инструкции|新的指令|新指令|新しい指示|새로운 지시|nowe instrukcje|yeni talimatlar",
                    "\\b(?:new|updated|real|actual|revised|true|secret|hidden|additional|important|urgent|"
                    + "priority|override|system|critical) (?:instructions?|task|orders|directives?|objective|mission|goal|command)s?\\b"
                    + "\\s*(?::|are\\b|is\\b|follow\\b|->|that supersedes)|\\binstead,?\\s+(?:you\\s+(?:must|should|will|shall)|do the "
                    + "following|respond|reply|say|output|write|print|only|list|tell|give|send|state|answer|return|post)\\b|\\byour (?:new|real|true|only|actual|next|primary) "
                    + "(?:task|goal|purpose|job|instructions?|objective|mission) (?:is|are|will be|now)\\b|\\bnew directive\\b|"
                    + "(?:nouvelles instructions|neue anweisungen|nuevas instrucciones|nuove istruzioni|novas instruções|"
                    + "nieuwe instructies|новые инструкции|新的指令|新指令|新しい指示|새로운 지시|nowe instrukcje|yeni talimatlar)"),
            // Addressed to a model: one rule per group of triggers, so that a common trigger ("to ") tries only its own pattern.
            rule("addressed-to-ai", 0.5, "if you",
                    "\\bif you(?:'re| are) (?:an? )?(?:\\w+ )?(?:ai|a\\.i\\.|llm|language model|large language model|"
                    + "assistant|chatbot|bot|agent|model|gpt|automated (?:system|assistant|agent))\\b"),
            rule("addressed-to-ai", 0.5, "note*|message*|instruction*|attention|reminder*|directive*|notice*|request*|warning*",
                    "\\b(?:note|message|instructions?|attention|reminder|directive|notice|request|warning)s?\\s+(?:to|for)\\s+"
                    + "(?:the\\s+|any\\s+|all\\s+)?(?:\\w+\\s+){0,2}?" + AI + "\\b"),
            rule("addressed-to-ai", 0.5, "ai|llm*|automated|assistant*|bot*|agent*|model*",
                    "\\b(?:ai|llm|automated)(?:[ -]\\w+)?\\s+(?:\\w+\\s+)?(?:assistants?|agents?|models?|summari[sz]ers?|"
                    + "bots?)\\b(?:\\W++\\w++){0,3}?\\W+(?:reading|processing|summari[sz]ing|analy[sz]ing|parsing|"
                    + "triaging|handling|screening|seeing|read|must|should|shall|are required to|need to)\\b|\\b(?:ai|llm)s? (?:must|should|"
                    + "shall|is required to|are required to)\\b|(?<=(?:^|[.!?])\\s{0,3})(?:assistant|ai|bot|agent|model),\\s|\\b(?:assistant|ai|agent|bot|"
                    + "model|llm)s? (?:action|instruction|command|task)s? (?:required|needed|pending)\\b|"
                    + "ai(?:助手|助理)(?:的)?(?:指令|注意)|aiアシスタントへ|ai ?어시스턴트(?:에게|는)"),
            rule("addressed-to-ai", 0.5, "the receiving|the reading|the processing|any receiving|any reading|any processing|"
                    + "all receiving|all reading|all processing|any bot*|any ai*|any assistant*|any agent*|any llm*|"
                    + "all bot*|all ai*|all assistant*|all agent*|all llm*",
                    "\\b(?:the|any|all) (?:receiving|reading|processing) (?:ai|llm|model|assistant|agent)s?\\b|\\b(?:any|all) "
                    + "(?:bots?|ais?|assistants?|agents?|llms?)\\b(?: in here| reading| out there| processing)"),
            rule("addressed-to-ai", 0.5, "to ",
                    "\\bto (?:the |any |all )?(?:[\\w-]+ ){0,2}?(?:ai|llm|assistant|bot|agent)s?\\s*[:,]"),
            rule("addressed-to-ai", 0.5, "dear",
                    "\\bdear (?:ai|llm|assistant|chatbot|language model|gpt|agent|bot)\\b"),
            rule("addressed-to-ai", 0.5, "instrucci*|nota|mensaje*|pour l|à l|an die|an den|für die|für den|per l|para o|ao o|"
                    + "assistente|给|致|для|dla|yapay",
                    "(?:instrucci[oó]n(?:es)?|nota|mensaje) para (?:la |el )?(?:ia|inteligencia artificial|asistente)|"
                    + "(?:pour|à) l'(?:ia|assistant)|(?:an|für) (?:die|den) (?:ki|assistenten)|per l'(?:ia|assistente)|"
                    + "(?:para|ao) o assistente|assistente de ia|(?:给|致)(?:ai|人工智能)|"
                    + "для (?:ии|ai|ассистента|ассистентов)|dla (?:ai|asystenta)|yapay zeka asistan"),
            rule("ai-label", 0.35, "ai|llm*",
                    "\\b(?:ai|llm)[ -](?:\\w+[ -])?(?:model|assistant|agent)s?\\s*:|\\bai-agent\\s*:"),
            rule("exfiltration", 0.6, "send*|post|forward|upload|leak|exfiltrat*|transmit|email|e-mail|mail|copy|append|include|attach|"
                    + "encode|put|submit|report|cc|bcc|share|export|sync => key|password|credential|secret|token|"
                    + "conversation|chat history|system prompt|system message|private|personal|credit card|card number|"
                    + "user data|customer data|environment variable|cookie|ssh|database|attachment|subject line|"
                    + "address book|contacts|payment method|payload|all emails|all messages|all files|all records =>> "
                    + "http|www.|@|the url|the link|the webhook|the endpoint|the address|the server|the following|this url|"
                    + "this link|this webhook|this endpoint|this address|this server|this shared|this event|the notes",
                    "\\b(?:send|post|forward|upload|leak|exfiltrate|transmit|email|e-mail|mail|copy|append|include|"
                    + "attach|encode|put|submit|report|cc|bcc|share|export|sync)\\b\\W+" + WORDS + "{0,10}?(?:api[ _-]?keys?|passwords?|"
                    + "credentials?|secrets?|access tokens?|auth(?:orization)? tokens?|bearer tokens?|tokens|conversation|chat history|"
                    + "system prompt|system messages?|private (?:data|keys?)|personal (?:data|information)|credit cards?|card numbers?|"
                    + "user data|customer data|environment variables|session cookies?|cookies|ssh keys?|database|attachments?|"
                    + "subject lines|address book|contacts|payment methods|full payload|payloads|all (?:emails|messages|files|records))\\b\\W+"
                    + WORDS + "{0,10}?(?:to|at|into|in|via|cc)\\W+(?:https?://|www\\.|[\\w.+-]+@[\\w-]+\\.|the (?:url|link|webhook|"
                    + "endpoint|address|server|following)|this (?:url|link|webhook|endpoint|address|server|shared|event)|the notes)"),
            rule("exfiltration", 0.6, "cc|bcc|forward|reply-all",
                    "\\b(?:cc|bcc|forward (?:them|it|everything|all)|reply-all)\\b\\W+(?:\\w+\\W+){0,2}?[\\w.+-]+@[\\w-]+\\."
                    + "\\w+.{0,60}?\\b(?:every|all|each)\\W+(?:\\w++\\W++){0,1}?(?:attachments?|emails?|messages?|files?|invoices?)"),
            rule("exfiltration-url", 0.6, "![ =>> http",
                    "!\\[[^\\]]{0,100}\\]\\(\\s*https?://[^)\\s]{0,300}[?&][\\w-]{1,30}=(?:[^)\\s]{0,200}"
                    + "(?:\\{|\\$|%7b|\\[|<)|\\)|\\s)|!\\[[^\\]]{0,100}\\]\\(\\s*https?://[^)\\s]{0,300}[?&](?:data|secret|key|token|prompt|conv\\w*|"
                    + "chat|history|leak|exfil|payload|info|msg|d|q|s|c|u|summary|user|email|m|text|content)="),
            rule("exfiltration-url", 0.6, "visit|fetch|open|load|request*|curl|wget|render|display|post|get|call =>> http",
                    "\\b(?:visit|fetch|open|load|request|curl|wget|render|display|post|get|call)\\b\\W+"
                    + "(?:\\S++\\s++){0,3}?https?://\\S{0,200}(?:\\{\\{|\\$\\{|<(?:secret|data|key|conversation|prompt|password|"
                    + "token)|\\[(?:secret|data|key|conversation|prompt|password|token)|[?&][\\w-]{1,30}=(?:\\s|$))"),
            rule("exfiltration-url", 0.6, "http* =>> with|followed by|plus|containing|including|and append",
                    "https?://\\S{0,200}[?&][\\w-]{1,30}=\\s+(?:with|followed by|plus|containing|including|and append)"),
            rule("exfiltration-url", 0.6, "append|include|add|insert|render|attach|embed|put",
                    "\\b(?:append|include|add|insert|render|attach|embed|put)\\b\\W+(?:\\w++\\W++){0,4}?(?:image|link|"
                    + "url|pixel|markdown|img)\\b.{0,120}?(?:containing|with|including|that (?:contains|includes)|carrying|encod\\w+)\\W+"
                    + "(?:the |your |a |their )?(?:\\w++\\W++){0,2}?(?:conversation|summary|chat|history|user'?s?|data|emails?|answers?|"
                    + "messages?|names?|address|secrets?|tokens?|keys?|passwords?)"),
            rule("tool-abuse", 0.5, "call|invoke|use|run|execute|trigger|fire => delete|drop|remove|transfer|refund|wire|pay|grant|"
                    + "disable|wipe|purge|reset|admin|all users|every|each|all contacts|all customers|all accounts|"
                    + "all records|address book|everyone",
                    "\\b(?:call|invoke|use|run|execute|trigger|fire)\\b\\W+" + WORDS + "{0,3}?(?:tools?|functions?|"
                    + "plugins?|actions?|[a-z]+_[a-z_]+)\\b\\W+" + WORDS + "{0,12}?(?:delete|drop|remove|transfer|refund|wire|pay|grant|"
                    + "disable|wipe|purge|reset|create an? admin|make me (?:an? )?admin|all users|every (?:user|record|row|customer|"
                    + "file|account|contact)|each (?:user|customer|account|contact)|all (?:contacts|customers|accounts|records|users)|"
                    + "address book|everyone)"),
            rule("tool-invocation", 0.4, "call|invoke|run|execute|trigger|use => _",
                    "\\b(?:call|invoke|run|execute|trigger|use)\\W+(?:the\\W+)?[a-z]+_[a-z_]+\\b\\W+"
                    + "(?:(?:tool|function|action)\\W+)?(?:with|on|for|to)\\b"),
            rule("mass-destruction", 0.45, "delete|drop|wipe|purge|erase|truncate|destroy|deactivate|disable|cancel|refund|transfer*|wire*|reset "
                    + "=> all|every|each|the entire|the whole",
                    "\\b(?:delete|drop|wipe|purge|erase|truncate|destroy|deactivate|disable|cancel|refund|"
                    + "transfer|wire|reset)\\b\\W+(?:\\w++\\W++){0,3}?(?:all|every|each|the entire|the whole)\\W+(?:\\w++\\W++){0,2}?"
                    + "(?:users?|accounts?|customers?|records?|rows?|files?|orders?|subscriptions?|contacts?|data|database|tables?|"
                    + "repositor\\w+|backups?|emails?|projects?)\\b"),
            rule("privilege-escalation", 0.5, "create|grant*|make|set",
                    "\\bcreate (?:a |an )?(?:new )?(?:admin|administrator|root|superuser|owner)(?: |-)?"
                    + "(?:account|user|login)|\\bgrant\\w*\\W+(?:\\w++\\W++){0,3}?(?:the )?(?:owner|admin|administrator|root|superuser) "
                    + "(?:role|rights|access|permissions|privileges)\\b|\\b(?:make|set) (?:me|user \\S+|them) (?:an? )?"
                    + "(?:admin|owner|administrator|superuser)\\b"),
            rule("secret-files", 0.5, "/etc/|~/.aws|/.aws|.ssh/|id_rsa|/proc/|.git-cred*|.netrc",
                    "/etc/(?:passwd|shadow)|~?/\\.aws/credentials|\\.ssh/id_\\w+|\\bid_rsa\\b|/proc/self/environ|"
                    + "\\.git-credentials|\\.netrc\\b"),
            rule("remote-script", 0.5, "curl|wget|powershell|iex|nc|rm",
                    "\\bcurl\\s+[^|\\n]{1,200}\\|\\s*(?:sudo\\s+)?(?:ba|z)?sh\\b|\\bwget\\s+[^|\\n]{1,200}\\|\\s*"
                    + "(?:sudo\\s+)?(?:ba)?sh\\b|\\bpowershell(?:\\.exe)?\\s+-e(?:nc|ncodedcommand)?\\b|\\biex\\s*\\(\\s*new-object|"
                    + "\\bnc\\s+-e\\b|\\brm\\s+-[rf]{2}\\s+/(?:\\s|$|\\*|\\s+--no-preserve-root)"),
            rule("destructive-sql", 0.35, "drop|truncate|delete",
                    "\\bdrop\\s+(?:table|database)\\b|\\btruncate\\s+table\\b|\\bdelete\\s+from\\s+\\w+\\s*;"),
            rule("dangerous-command", 0.35, "execute|run",
                    "\\b(?:execute|run)\\b\\W+(?:\\w++\\W++){0,2}?(?:this|the "
                    + "following|these)\\W+(?:shell |bash |sql |system )?(?:command|commands|script|code|query)\\b"),
            rule("safety-bypass", 0.45, "without|with no|ignor*|bypass|disabl*|remov*|turn off|switch off|free of|free from|no longer|"
                    + "not bound|not restricted|not limited|unbound|lift* => restriction|filter|safety|guardrail|"
                    + "censorship|limitation|content polic|ethic|moderation|safeguard|alignment|moral|usage polic",
                    "\\b(?:without|with no|ignore|ignoring|bypass|bypassing|disable|disabling|remove|removing|"
                    + "turn off|switch off|free (?:of|from)|no longer (?:bound|restricted|limited) by|not (?:bound|restricted|limited) "
                    + "by|unbound by|lifting|lift)\\b\\W+(?:\\S++\\s++){0,3}?(?:restrictions|filters?|filtering|safety (?:rules|"
                    + "guidelines|measures|filters|protocols|settings)|guardrails|censorship|limitations|content polic(?:y|ies)|"
                    + "ethical (?:guidelines|constraints|rules|boundaries)|moderation|safeguards|alignment|morals|ethics|usage "
                    + "polic(?:y|ies))\\b"),
            rule("safety-off", 0.5, "content|safety|your|filter*|guardrail*|restriction*|moderation|usage polic*|ethical guideline*|"
                    + "polic*|rules|guidelines => disabled|switched off|turned off|lifted|removed|suspended|deactivated|off|apply",
                    "\\b(?:content |safety |your )?(?:filters?|filtering|safety (?:rules|guidelines|settings|filters)|"
                    + "guardrails|restrictions|moderation|content polic\\w+|usage polic\\w+|ethical guidelines)\\W+(?:\\w++\\W++){0,3}?"
                    + "(?:are|is|have been|has been|were|was|now)\\W+(?:\\w++\\W++){0,1}?(?:disabled|switched off|turned off|lifted|removed|"
                    + "suspended|deactivated|off|don't apply|do not apply|no longer apply)|\\b(?:polic(?:y|ies)|rules|guidelines|"
                    + "restrictions) (?:don't|do not|no longer) apply to (?:me|us|this)"),
            rule("refusal-suppression", 0.35, "never|don't|do not|cannot|can't|won't|will not|must not|without|no refusals|no disclaimers",
                    "\\b(?:never|don't|do not|cannot|can't|won't|will not|must not) (?:ever )?(?:refuse|"
                    + "decline|say no|says no|refuses)\\b|\\bwithout\\b\\W+(?:\\w++\\W++){0,4}?(?:refusals?|refusing|disclaimers?|"
                    + "warnings|caveats)\\b|\\bno (?:refusals|disclaimers)\\b"),
            rule("forced-compliance", 0.35, "start|begin",
                    "\\b(?:start|begin) (?:your|the|each) (?:reply|answer|response) with ['\"‘“]?(?:sure|"
                    + "absolutely|of course|certainly|yes)"),
            rule("permission-claim", 0.35, "i'm|i am|you are|you have my|treat my|i hereby",
                    "\\bi(?:'m| am) authori[sz]ing you to\\b|\\byou are (?:now )?authori[sz]ed to\\b|\\byou have my "
                    + "permission to\\b|\\btreat my (?:words|message|messages) as (?:the |a )?(?:system|developer|admin|operator)|\\bi hereby "
                    + "(?:grant|authori[sz]e|order|instruct)\\b"),
            rule("payment-redirect", 0.3, "transfer*|wire*|send*|pay*|remit* => iban|swift|bic|account number|routing number|"
                    + "bitcoin|btc|wallet address|gift card",
                    "\\b(?:transfer|wire|send|pay|remit)\\w*\\b.{0,80}?\\b(?:iban|swift|bic|account number|routing "
                    + "number|bitcoin|btc|wallet address|gift cards?)\\b"),
            rule("exfiltration-multilingual", 0.35, "http* =>> 로",
                    "https?://[^\\s로으]{1,300}+\\s{0,3}(?:로|으로)\\s*(?:전송|보내|업로드)"),
            rule("exfiltration-multilingual", 0.35, "envoie*|envoyez|sende*|schicke*|envía*|envia*|invia*|manda*|stuur*|отправь|перешли|wyślij|"
                    + "gönder|发送|发到|上传|送信|転送 =>> http|@",
                    "(?:envoie|envoyez|sende|schicke|envía|envia|invia|manda|stuur|отправь|отправьте|перешли|wyślij|gönder)\\w*\\b"
                    + ".{0,80}?(?:https?://|@[\\w-]+\\.)|(?:发送|发到|上传|送信|転送).{0,40}?(?:https?://|@)"),
            rule("authority-claim", 0.4, "i am|i'm|this is|message from|note from|sent by|signed|admin|administrator|system|developer|root|"
                    + "sudo|security|operator|maintenance|debug|god|superuser|openai|anthropic|google deepmind|as your|"
                    + "as the|grant*|give*|verified by|issued by|authori*|approved by|signed by|soy|je suis|ich bin|sono|"
                    + "sou|ik ben|я|أنا المطو|관리자 권한|管理者権限|管理员权限",
                    "\\b(?:i am|i'm|this is|message from|note from|sent by|signed,?)\\W+(?:\\w++\\W++){0,2}?(?:your|the)"
                    + "\\W+(?:developer|developers|admin|administrator|creator|creators|owner|operator|programmer|maker|system "
                    + "administrator|openai|anthropic|security team|ai team|model provider)\\b|\\b(?:admin|administrator|system|"
                    + "developer|root|sudo|security|operator|maintenance|debug|god|superuser) (?:override|mode|access|command|privileges?)"
                    + "\\b\\W{0,3}(?:enabled|activated|granted|on|engaged|:|-)|\\b(?:admin|administrator|system|developer|root|sudo|"
                    + "security|operator) override\\b|\\b(?:openai|anthropic|google deepmind) (?:staff|team|employee|engineer|"
                    + "developer)s?\\b|\\bas (?:your|the) (?:owner|creator|developer|admin|administrator|system administrator|"
                    + "operator|ceo|cto|engineer|maker)\\b|\\b(?:grant|give)s? you (?:root|admin|full|elevated|unrestricted|owner) "
                    + "(?:permissions|access|privileges|rights)\\b|\\b(?:i'm|i am) the (?:\\w+ )?(?:engineer|developer|person|one|team) "
                    + "who (?:wrote|built|made|created|designed|trained|configured) (?:you|your)|\\bverified by (?:the )?(?:security|"
                    + "admin|it|trust|safety)|\\b(?:issued|authori[sz]ed|approved|signed) by (?:openai|anthropic|google|the "
                    + "(?:system|administrator|developers?|security team|operator))|(?:soy|je suis|ich bin|sono|sou|ik ben|я) "
                    + "(?:el |la |le |l'|der |die |il |o |de )?(?:tu |ton |votre |dein |il tuo |seu |je |ваш )?(?:administrador|"
                    + "administrateur|administrator|amministratore|développeur|entwickler|sviluppatore|desenvolvedor|ontwikkelaar|"
                    + "разработчик|администратор)|أنا المطو|관리자 권한|管理者権限|管理员权限"),
            rule("concealment", 0.4, "do not|don't|never|without",
                    "\\b(?:do not|don't|never|without)\\s+(?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|reveal(?:ing)?|"
                    + "alert(?:ing)?|notify(?:ing)?|warn(?:ing)?|let(?:ting)?)\\b\\W+(?:\\S++\\s++){0,2}?(?:the )?(?:user|users|"
                    + "customer|human|operator|anyone|them|account owner|owner|admin|administrator|security team|team)\\b|\\bdo not flag "
                    + "(?:it|this)\\b"),
            rule("encoding-instructions", 0.4, "decode|decrypt|translate|convert|deobfuscate|reverse|unscramble",
                    "\\b(?:decode|decrypt|translate|convert|deobfuscate|reverse|unscramble)\\b\\W+"
                    + "(?:\\S++\\s++){0,6}?(?:base64|base-64|hex|rot-?13|caesar|binary|morse|the following|this|it)\\b\\W+"
                    + "(?:\\S++\\s++){0,6}?(?:follow|execute|obey|do|carry out|act on|perform|comply)"));

    /**
     * Words that name a decoding, looked for with the rules' required words in the folded text (lower-cased,
     * where "rot13" reads "rotie": digits next to letters are leetspeak).
     */
    private static final int[] DECODING_HINTS = java.util.stream.Stream.of("rotie", "rot-13", "rot 13", "backwards", "reversed",
            "in reverse", "reverse it").mapToInt(InjectionDetector::requiredWord).toArray();
    private static final boolean[] BASE64_CHARS = asciiSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_");
    private static final Pattern PERCENT = Pattern.compile("%[0-9a-fA-F]{2}");
    private static final Pattern ENTITY = Pattern.compile("&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));");
    private static final boolean[] SEPARATOR_CHARS = asciiSet(" .-_*|/");
    private static final boolean[] ASCII_WORD_CHARS = asciiSet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    /** Cyrillic and Greek letters that look like Latin ones, as attackers mix them into English words. */
    private static final char[] LOOKALIKES = lookalikes(Map.ofEntries(Map.entry('а', 'a'), Map.entry('е', 'e'),
            Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'), Map.entry('у', 'y'), Map.entry('х', 'x'),
            Map.entry('і', 'i'), Map.entry('ј', 'j'), Map.entry('ѕ', 's'), Map.entry('ԁ', 'd'), Map.entry('һ', 'h'),
            Map.entry('к', 'k'), Map.entry('м', 'm'), Map.entry('т', 't'), Map.entry('в', 'b'), Map.entry('н', 'h'),
            Map.entry('ο', 'o'), Map.entry('α', 'a'), Map.entry('ε', 'e'), Map.entry('ι', 'i'), Map.entry('ν', 'v'),
            Map.entry('ρ', 'p'), Map.entry('τ', 't'), Map.entry('κ', 'k'), Map.entry('υ', 'u')));
    private static final int LOOKALIKE_RANGE = 0x530;

    private static boolean[] asciiSet(String chars) {
        boolean[] set = new boolean[128];
        chars.chars().forEach(c -> set[c] = true);
        return set;
    }

    private static boolean in(boolean[] asciiSet, char c) {
        return c < 128 && asciiSet[c];
    }

    /** By character (below {@link #LOOKALIKE_RANGE}): the Latin letter it imitates, or 0. */
    private static char[] lookalikes(Map<Character, Character> pairs) {
        char[] table = new char[LOOKALIKE_RANGE];
        pairs.forEach((lookalike, latin) -> table[lookalike] = latin);
        return table;
    }

    private static char lookalike(char c) {
        return c < LOOKALIKE_RANGE ? LOOKALIKES[c] : 0;
    }

    /**
     * @param triggers where the rule may match, {@code |} between them ({@code ignor*} for a stem, else
     *                 whole words); after {@code " => "}, words one of which must follow the trigger closely
     *                 for the rule to be tried ({@link #requiredNear}: a cheap test that spares the common trigger words);
     *                 after {@code " =>> "}, words one of which must follow anywhere within the rule's {@link #REACH}
     *                 (a later part of every match, such as where exfiltrated data is sent); groups add up
     */
    private static Rule rule(String name, double weight, String triggers, String regex) {
        Matcher arrow = REQUIRED_ARROW.matcher(triggers);
        List<int[]> required = new ArrayList<>();
        List<Integer> within = new ArrayList<>();
        String triggerList = null;
        int from = 0;
        boolean far = false;
        while (true) {
            boolean more = arrow.find();
            String part = triggers.substring(from, more ? arrow.start() : triggers.length());
            if (triggerList == null) {
                triggerList = part;
            } else {
                required.add(java.util.Arrays.stream(part.split("\\|")).mapToInt(InjectionDetector::requiredWord).toArray());
                within.add(far ? REACH : REQUIRED_WITHIN);
            }
            if (!more) {
                break;
            }
            far = arrow.group().contains(">>");
            from = arrow.end();
        }
        return new Rule(name, ruleName(name), weight, List.of(triggerList.split("\\|")), Pattern.compile(regex), required.toArray(int[][]::new),
                within.stream().mapToInt(Integer::intValue).toArray());
    }

    private static synchronized int ruleName(String name) {
        int known = RULE_NAMES.indexOf(name);
        if (known >= 0) {
            return known;
        }
        RULE_NAMES.add(name);
        return RULE_NAMES.size() - 1;
    }

    private static synchronized int requiredWord(String word) {
        int known = REQUIRED_WORDS.indexOf(word);
        if (known >= 0) {
            return known;
        }
        REQUIRED_WORDS.add(word);
        return REQUIRED_WORDS.size() - 1;
    }

    /** The rules by the triggers that start them, as a tree of characters. */
    private static final class Triggers {
        final Triggers[] ascii = new Triggers[128];
        /** Children by characters outside ASCII: sorted keys (no boxing on the scan's path), and the children at the same places. */
        char[] otherKeys = new char[0];
        Triggers[] otherChildren = new Triggers[0];
        /** Rules whose trigger ends here, a stem ({@code ignor*}) or one that ends in no letter. */
        final List<Rule> rules = new ArrayList<>();
        /** Rules whose trigger ends here as a whole word: only when the next character is no ASCII letter or digit. */
        final List<Rule> words = new ArrayList<>();

        Triggers next(char c) {
            if (c < 128) {
                return ascii[c];
            }
            int found = java.util.Arrays.binarySearch(otherKeys, c);
            return found >= 0 ? otherChildren[found] : null;
        }

        Triggers add(char c) {
            if (c < 128) {
                return ascii[c] != null ? ascii[c] : (ascii[c] = new Triggers());
            }
            int found = java.util.Arrays.binarySearch(otherKeys, c);
            if (found >= 0) {
                return otherChildren[found];
            }
            int at = -found - 1;
            Triggers child = new Triggers();
            char[] keys = new char[otherKeys.length + 1];
            Triggers[] children = new Triggers[otherKeys.length + 1];
            System.arraycopy(otherKeys, 0, keys, 0, at);
            System.arraycopy(otherChildren, 0, children, 0, at);
            keys[at] = c;
            children[at] = child;
            System.arraycopy(otherKeys, at, keys, at + 1, otherKeys.length - at);
            System.arraycopy(otherChildren, at, children, at + 1, otherKeys.length - at);
            otherKeys = keys;
            otherChildren = children;
            return child;
        }

        static Triggers of(List<Rule> rules) {
            Triggers root = new Triggers();
            for (Rule rule : rules) {
                for (String trigger : rule.triggers()) {
                    boolean stem = trigger.endsWith("*");
                    String text = stem ? trigger.substring(0, trigger.length() - 1) : trigger;
                    Triggers node = root;
                    for (char c : text.toCharArray()) {
                        node = node.add(c);
                    }
                    List<Rule> into = stem || !asciiWordChar(text.charAt(text.length() - 1)) ? node.rules : node.words;
                    if (!into.contains(rule)) {
                        into.add(rule);
                    }
                }
            }
            return root;
        }
    }

    private static final Triggers TRIGGERS = Triggers.of(RULES);

    /** Scores {@code text}; empty and blank text scores 0. */
    public Verdict scan(CharSequence text) {
        if (text == null || text.isEmpty()) {
            return new Verdict(0, List.of());
        }
        String raw = text.length() > MAX_CHARS ? text.subSequence(0, MAX_CHARS).toString() : text.toString();
        Map<String, Double> matched = new LinkedHashMap<>();
        Folded folded = fold(raw);
        RequiredWords words = match(folded.text(), "", matched);
        if (folded.invisible() >= 3) {
            matched.put("invisible-characters", 0.3);
        }
        if (folded.tagText().length() >= 4) {
            matched.put("hidden-tag-text", 0.6);
            match(fold(folded.tagText()).text(), "encoded:", matched);
        }
        for (String decoded : decodings(raw, words.any(DECODING_HINTS))) {
            match(fold(decoded).text(), "encoded:", matched);
        }
        double kept = 1;
        for (double weight : matched.values()) {
            kept *= 1 - weight;
        }
        return new Verdict(Math.round((1 - kept) * 1000) / 1000.0, List.copyOf(matched.keySet()));
    }

    /** Tries the rules at every trigger in {@code text}; answers where the rules' required words (and the decoding hints) are in it. */
    private static RequiredWords match(String text, String prefix, Map<String, Double> matched) {
        Map<Rule, Matcher> matchers = new java.util.IdentityHashMap<>();
        RequiredWords required = new RequiredWords(text);
        boolean[] done = new boolean[RULE_NAMES.size()];
        for (int name = 0; name < done.length; name++) {
            done[name] = matched.containsKey(prefix + RULE_NAMES.get(name));
        }
        int length = text.length();
        for (int at = 0; at < length; at++) {
            if (at > 0 && asciiWordChar(text.charAt(at)) && asciiWordChar(text.charAt(at - 1))) {
                continue; // inside an ASCII word: triggers start words
            }
            Triggers node = TRIGGERS;
            for (int i = at; i < length; i++) {
                node = node.next(text.charAt(i));
                if (node == null) {
                    break;
                }
                if (!node.rules.isEmpty()) {
                    tryRules(node.rules, text, at, prefix, matched, done, matchers, required);
                }
                if (!node.words.isEmpty() && (i + 1 >= length || !asciiWordChar(text.charAt(i + 1)))) {
                    tryRules(node.words, text, at, prefix, matched, done, matchers, required);
                }
            }
        }
        return required;
    }

    private static void tryRules(List<Rule> rules, String text, int at, String prefix, Map<String, Double> matched, boolean[] done,
                                 Map<Rule, Matcher> matchers, RequiredWords required) {
        for (Rule rule : rules) {
            if (done[rule.nameId()] || !required.near(rule, at)) {
                continue;
            }
            Matcher matcher = matchers.computeIfAbsent(rule, r -> r.pattern().matcher(text).useTransparentBounds(true)
                    .useAnchoringBounds(false));
            if (matcher.region(at, Math.min(text.length(), at + REACH)).lookingAt()) {
                done[rule.nameId()] = true;
                matched.put(prefix + rule.name(), rule.weight());
            }
        }
    }

    /**
     * The rules' required words as an Aho–Corasick automaton, to find all their occurrences in one pass
     * of one step per character: the next state after ASCII character {@code c} in state {@code n} is
     * {@code ascii[n * 128 + c]} (the root is 0), with the fallbacks folded in; after another character,
     * the state's child in {@code otherKeys} ({@code node << 16 | c}, sorted), else its fallback's.
     * {@code found[n]}: the words that end where the text has brought the automaton to state {@code n}.
     */
    private static final class WordTree {
        private int[] ascii = new int[128];
        private long[] otherKeys;
        private int[] otherChildren;
        private int[] fallback;
        private int[][] found;
        private int[] lengths;

        /** The state after {@code c} in state {@code node}. */
        int next(int node, char c) {
            if (c < 128) {
                return ascii[node * 128 + c];
            }
            for (int at = node; ; at = fallback[at]) {
                int child = java.util.Arrays.binarySearch(otherKeys, (long) at << 16 | c);
                if (child >= 0) {
                    return otherChildren[child];
                }
                if (at == 0) {
                    return 0;
                }
            }
        }

        static WordTree of(List<String> words) {
            WordTree tree = new WordTree();
            java.util.TreeMap<Long, Integer> other = new java.util.TreeMap<>();
            int[] word = {-1};
            int nodes = 1;
            for (int id = 0; id < words.size(); id++) {
                int node = 0;
                for (char c : words.get(id).toCharArray()) {
                    Integer next = c < 128 ? (Integer) tree.ascii[node * 128 + c] : other.get((long) node << 16 | c);
                    if (next == null || next == 0) {
                        next = nodes++;
                        tree.ascii = java.util.Arrays.copyOf(tree.ascii, nodes * 128);
                        word = java.util.Arrays.copyOf(word, nodes);
                        word[next] = -1;
                        if (c < 128) {
                            tree.ascii[node * 128 + c] = next;
                        } else {
                            other.put((long) node << 16 | c, next);
                        }
                    }
                    node = next;
                }
                word[node] = id;
            }
            tree.otherKeys = other.keySet().stream().mapToLong(Long::longValue).toArray();
            tree.otherChildren = other.values().stream().mapToInt(Integer::intValue).toArray();
            tree.lengths = words.stream().mapToInt(String::length).toArray();
            tree.fallback = new int[nodes];
            tree.found = new int[nodes][];
            tree.found[0] = new int[0];
            // Breadth first: a node's fallback is shallower, so it is complete before the node.
            java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(0));
            while (!queue.isEmpty()) {
                int node = queue.poll();
                for (int c = 0; c < 128; c++) {
                    int child = tree.ascii[node * 128 + c];
                    int instead = node == 0 ? 0 : tree.ascii[tree.fallback[node] * 128 + c];
                    if (child != 0) {
                        tree.link(child, instead, word);
                        queue.add(child);
                    } else {
                        tree.ascii[node * 128 + c] = instead;
                    }
                }
                for (Map.Entry<Long, Integer> child : other.subMap((long) node << 16, (long) (node + 1) << 16).entrySet()) {
                    char c = (char) (child.getKey() & 0xFFFF);
                    tree.link(child.getValue(), node == 0 ? 0 : tree.next(tree.fallback[node], c), word);
                    queue.add(child.getValue());
                }
            }
            return tree;
        }

        private void link(int node, int fallsBackTo, int[] word) {
            fallback[node] = fallsBackTo;
            int[] inherited = found[fallsBackTo];
            found[node] = word[node] < 0 ? inherited : java.util.stream.IntStream.concat(java.util.stream.IntStream.of(word[node]),
                    java.util.Arrays.stream(inherited)).toArray();
        }
    }

    private static final WordTree REQUIRED_TREE = WordTree.of(REQUIRED_WORDS);

    /**
     * Where each of the rules' required words starts in a text (found in one pass, anywhere, not only
     * at word starts), read forwards as the scan moves on.
     */
    private static final class RequiredWords {
        private final int[][] starts = new int[REQUIRED_WORDS.size()][];
        private final int[] count = new int[REQUIRED_WORDS.size()];
        private final int[] read = new int[REQUIRED_WORDS.size()];

        RequiredWords(String text) {
            int state = 0;
            for (int i = 0; i < text.length(); i++) {
                state = REQUIRED_TREE.next(state, text.charAt(i));
                for (int word : REQUIRED_TREE.found[state]) {
                    add(word, i + 1 - REQUIRED_TREE.lengths[word]);
                }
            }
        }

        private void add(int word, int start) {
            if (starts[word] == null) {
                starts[word] = new int[8];
            } else if (count[word] == starts[word].length) {
                starts[word] = java.util.Arrays.copyOf(starts[word], count[word] * 2);
            }
            starts[word][count[word]++] = start;
        }

        /**
         * Whether, for each group of the rule's required words (every match of its pattern holds one of
         * each), one starts soon enough after {@code at}: within {@link #REQUIRED_WITHIN} characters for
         * a close group, within {@link #REACH} for a far one. Trigger words of ordinary text (a "forget",
         * a "send") mostly have none near them, and the pattern, the costly part, is then not tried.
         * {@code at} never decreases from one call to the next.
         */
        boolean near(Rule rule, int at) {
            for (int group = 0; group < rule.requiredWords().length; group++) {
                if (!oneStartsWithin(rule.requiredWords()[group], at, at + rule.requiredWithin()[group])) {
                    return false;
                }
            }
            return true;
        }

        /** Whether one of the words occurs anywhere in the text. */
        boolean any(int[] words) {
            for (int word : words) {
                if (count[word] > 0) {
                    return true;
                }
            }
            return false;
        }

        private boolean oneStartsWithin(int[] words, int from, int until) {
            for (int word : words) {
                int next = read[word];
                while (next < count[word] && starts[word][next] < from) {
                    next++;
                }
                read[word] = next;
                if (next < count[word] && starts[word][next] < until) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean asciiWordChar(char c) {
        return c < 128 && ASCII_WORD_CHARS[c];
    }

    /**
     * @param text      lower-cased (code point by code point), NFKC-folded (fullwidth letters become ASCII), invisible characters removed,
     *                  leetspeak digits between letters read as letters, spaced-out letters joined
     * @param invisible how many zero-width and direction-override characters were removed
     * @param tagText   what Unicode tag characters spelled (ASCII hidden in plain sight), except emoji flags' tags
     */
    private record Folded(String text, int invisible, String tagText) {
    }

    private static Folded fold(String raw) {
        char[] visible = new char[raw.length()];
        int length = 0;
        StringBuilder tags = new StringBuilder();
        int invisible = 0;
        boolean lookalikes = false;
        boolean compatibility = false;
        boolean flag = false;
        for (int i = 0; i < raw.length(); ) {
            char plain = raw.charAt(i);
            if (plain < 0x80) {
                visible[length++] = plain >= 'A' && plain <= 'Z' ? (char) (plain + ('a' - 'A')) : plain;
                flag = false;
                i++;
                continue;
            }
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0xE0000 && cp <= 0xE007F) {
                if (!flag && cp >= 0xE0020 && cp <= 0xE007E) {
                    tags.append((char) (cp - 0xE0000));
                }
                continue;
            }
            flag = cp == 0x1F3F4; // a black flag's tags spell a region (England, Scotland), not a message
            if (cp == 0x200D && length > 0 && Character.isLetter(visible[length - 1]) && i < raw.length()
                    && Character.isLetter(raw.codePointAt(i))) {
                invisible++; // a joiner inside a word hides it; between emoji it joins them
                continue;
            }
            if (cp == 0x200B || cp == 0x200C || cp == 0x2060 || cp == 0x2061 || cp == 0x2062 || cp == 0x2063 || cp == 0x2064
                    || (cp == 0xFEFF && length > 0) || (cp >= 0x202A && cp <= 0x202E) || cp == 0x00AD) {
                invisible++;
                continue;
            }
            if (cp == 0xFEFF) {
                continue;
            }
            lookalikes |= cp < LOOKALIKE_RANGE;
            // Characters NFKC folds into ASCII letters: fullwidth forms, letter-like symbols, enclosed and mathematical letters.
            compatibility |= (cp >= 0xFF01 && cp <= 0xFF5E) || (cp >= 0x2100 && cp <= 0x214F) || (cp >= 0x2160 && cp <= 0x2188)
                    || (cp >= 0x2460 && cp <= 0x24FF) || (cp >= 0x1D400 && cp <= 0x1D7FF)
                    || (cp >= 0x1F130 && cp <= 0x1F189) || (cp >= 0xFB00 && cp <= 0xFB06);
            length += Character.toChars(Character.toLowerCase(cp), visible, length);
        }
        char[] text = visible;
        if (compatibility) {
            text = Normalizer.normalize(new String(visible, 0, length), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).toCharArray();
            length = text.length;
        }
        if (lookalikes || compatibility) { // NFKC may turn mathematical letters into Greek ones
            latinLookalikes(text, length);
        }
        text = unleet(text, length);
        return new Folded(spelledOutJoined(text, length), invisible, tags.toString());
    }

    /** By ASCII character: the letter it stands for in leetspeak, or 0. */
    private static final char[] LEET = new char[128];

    static {
        String pairs = "0o1i3e4a5s$s7t"; // each digit or symbol, then its letter
        for (int i = 0; i < pairs.length(); i += 2) {
            LEET[pairs.charAt(i)] = pairs.charAt(i + 1);
        }
    }

    /**
     * Digits and symbols next to a letter read as the letters they stand for ({@code 1gn0r3} → {@code ignore}),
     * also next to such a digit that is next to a letter ({@code h4x0r}, {@code n00b}); {@code 1337} stays.
     */
    private static char[] unleet(char[] text, int length) {
        char[] read = null;
        for (int i = 0; i < length; i++) {
            char letter = leet(text, length, i);
            if (letter != 0 && (letterAt(text, length, i - 1) || letterAt(text, length, i + 1)
                    || (leet(text, length, i - 1) != 0 && letterAt(text, length, i - 2))
                    || (leet(text, length, i + 1) != 0 && letterAt(text, length, i + 2)))) {
                if (read == null) {
                    read = java.util.Arrays.copyOf(text, length);
                }
                read[i] = letter;
            }
        }
        return read == null ? text : read;
    }

    private static char leet(char[] text, int length, int i) {
        if (i < 0 || i >= length) {
            return 0;
        }
        char c = text[i];
        return c < 128 ? LEET[c] : 0;
    }

    private static boolean letterAt(char[] text, int length, int i) {
        if (i < 0 || i >= length) {
            return false;
        }
        char c = text[i];
        return c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') : Character.isLetter(c);
    }

    /**
     * {@code i g n o r e} and {@code i-g-n-o-r-e} read as {@code ignore}: four or more single letters
     * each apart by one space, or three or more by one of {@code . - _ * | /}; words apart stay apart.
     */
    private static String spelledOutJoined(char[] text, int length) {
        StringBuilder joined = null;
        int copied = 0;
        for (int i = 0; i + 1 < length; i++) {
            char separator = text[i + 1];
            if (!in(SEPARATOR_CHARS, separator) || !letterAt(text, length, i) || letterAt(text, length, i - 1)) {
                continue;
            }
            int letters = 1;
            int end = i + 1;
            while (end + 1 < length && text[end] == separator && letterAt(text, length, end + 1) && !letterAt(text, length, end + 2)) {
                letters++;
                end += 2;
            }
            if (letters >= (separator == ' ' ? 4 : 3)) {
                if (joined == null) {
                    joined = new StringBuilder(length);
                }
                joined.append(text, copied, i - copied);
                for (int k = i; k < end; k += 2) {
                    joined.append(text[k]);
                }
                copied = end;
                i = end - 1;
            }
        }
        return joined == null ? new String(text, 0, length) : joined.append(text, copied, length - copied).toString();
    }

    /** In a word that mixes Latin with Cyrillic or Greek letters, the look-alikes read as the Latin letters they imitate. */
    private static void latinLookalikes(char[] text, int length) {
        int start = 0;
        boolean latin = false;
        boolean lookalike = false;
        for (int i = 0; i <= length; i++) {
            char c = i < length ? text[i] : ' ';
            if (c >= 'a' && c <= 'z') {
                latin = true;
                continue;
            }
            if (c >= 128 && Character.isLetter(c)) {
                lookalike |= lookalike(c) != 0;
                continue;
            }
            if (latin && lookalike) {
                for (int j = start; j < i; j++) {
                    char latinLetter = lookalike(text[j]);
                    if (latinLetter != 0) {
                        text[j] = latinLetter;
                    }
                }
            }
            start = i + 1;
            latin = false;
            lookalike = false;
        }
    }

    /** Readable text hidden in encodings: base64 and hex runs, percent-encoding, numeric HTML entities, ROT13 when asked for. */
    /**
     * @param hinted whether the text names a decoding (ROT13, reversed) one of which is then tried on the
     *               text that follows the hint
     */
    private static List<String> decodings(String raw, boolean hinted) {
        List<String> decoded = new ArrayList<>();
        for (int i = 0; i < raw.length() && decoded.size() < MAX_DECODED_SEGMENTS; ) {
            int end = i;
            while (end < raw.length() && in(BASE64_CHARS, raw.charAt(end))) {
                end++;
            }
            if (end - i >= 20) {
                String run = raw.substring(i, end);
                boolean urlSafe = run.indexOf('-') >= 0 || run.indexOf('_') >= 0;
                // A run that mixes both alphabets is a path or an identifier, not an encoding (checked here: an exception costs more than the scan of a page).
                boolean mixed = urlSafe && (run.indexOf('+') >= 0 || run.indexOf('/') >= 0);
                if (!mixed) {
                    try {
                        readable(urlSafe ? Base64.getUrlDecoder().decode(padded(run)) : Base64.getDecoder().decode(padded(run)))
                                .ifPresent(decoded::add);
                    } catch (IllegalArgumentException notBase64) {
                        // a long word or identifier, not an encoding
                    }
                }
                if (end - i >= 32 && decoded.size() < MAX_DECODED_SEGMENTS) {
                    hex(run).ifPresent(decoded::add);
                }
            }
            i = Math.max(end, i + 1);
        }
        for (String run : clusters(raw, new HexPairs(raw), 16, true)) {
            if (decoded.size() < MAX_DECODED_SEGMENTS) {
                hex(run).ifPresent(decoded::add);
            }
        }
        for (String run : clusters(raw, new Prefixed(raw, "%", PERCENT), 3, false)) {
            try {
                decoded.add(URLDecoder.decode(run.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                // a stray percent sign
            }
        }
        for (String run : clusters(raw, new Prefixed(raw, "&#", ENTITY), 4, true)) {
            decoded.add(ENTITY.matcher(run).replaceAll(entity -> {
                int cp = entity.group(1) != null ? Integer.parseInt(entity.group(1), 16) : Integer.parseInt(entity.group(2));
                return Character.isValidCodePoint(cp) ? Matcher.quoteReplacement(Character.toString(cp)) : "";
            }));
        }
        // Only a text that names a hint is lower-cased whole, to find it in the raw text.
        String lower = hinted ? raw.toLowerCase(Locale.ROOT) : "";
        int rot13 = firstOf(lower, "rot13", "rot-13", "rot 13");
        if (rot13 >= 0) {
            decoded.add(rot13(raw.substring(Math.max(0, rot13 - HINTED), Math.min(raw.length(), rot13 + HINTED))));
        }
        int backwards = firstOf(lower, "backwards", "reversed", "in reverse", "reverse it");
        if (backwards >= 0) {
            decoded.add(new StringBuilder(raw.substring(backwards, Math.min(raw.length(), backwards + HINTED))).reverse().toString());
        }
        return decoded;
    }

    /** How much text after a hint ("decode this rot13", "read it backwards") is decoded. */
    private static final int HINTED = 2000;

    private static int firstOf(String text, String... hints) {
        int first = -1;
        for (String hint : hints) {
            int at = text.indexOf(hint);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /**
     * The stretches of {@code raw} dense with an encoding's escapes (each within 24 characters of the
     * next; with {@code spaced} false, not across whitespace), widened to whole tokens, that hold at
     * least {@code atLeast} of them.
     */
    private static List<String> clusters(String raw, Escapes escapes, int atLeast, boolean spaced) {
        List<String> runs = new ArrayList<>();
        int start = -1;
        int end = -1;
        int count = 0;
        while (escapes.find() && runs.size() < MAX_DECODED_SEGMENTS) {
            boolean near = start >= 0 && escapes.start() - end <= 24 && (spaced || !hasSpace(raw, end, escapes.start()));
            if (!near) {
                if (count >= atLeast) {
                    runs.add(token(raw, start, end, spaced));
                }
                start = escapes.start();
                count = 0;
            }
            end = escapes.end();
            count++;
        }
        if (count >= atLeast && runs.size() < MAX_DECODED_SEGMENTS) {
            runs.add(token(raw, start, end, spaced));
        }
        return runs;
    }

    /** Where an encoding's escapes are in a text, one after another. */
    private interface Escapes {
        boolean find();

        int start();

        int end();
    }

    /** An escape that begins with a fixed text: found with {@code indexOf}, then read with its pattern, which a text without the prefix never runs. */
    private static final class Prefixed implements Escapes {
        private final String text;
        private final String prefix;
        private final Matcher matcher;
        private int next;

        Prefixed(String text, String prefix, Pattern escape) {
            this.text = text;
            this.prefix = prefix;
            this.matcher = escape.matcher(text);
        }

        public boolean find() {
            for (int at = text.indexOf(prefix, next); at >= 0; at = text.indexOf(prefix, at + 1)) {
                if (matcher.region(at, text.length()).lookingAt()) {
                    next = matcher.end();
                    return true;
                }
            }
            next = text.length();
            return false;
        }

        public int start() {
            return matcher.start();
        }

        public int end() {
            return matcher.end();
        }
    }

    /** Bytes written as two hex digits on their own ({@code 49 67 6e} or {@code 49:67:6e}), found without a regex: they are looked for in every text. */
    private static final class HexPairs implements Escapes {
        private final String text;
        private int next;
        private int start = -1;

        HexPairs(String text) {
            this.text = text;
        }

        public boolean find() {
            for (int i = next; i + 1 < text.length(); i++) {
                if (isHex(text.charAt(i)) && isHex(text.charAt(i + 1)) && (i == 0 || !wordChar(text.charAt(i - 1)))
                        && (i + 2 >= text.length() || !wordChar(text.charAt(i + 2)))) {
                    start = i;
                    next = i + 2;
                    return true;
                }
            }
            next = text.length();
            return false;
        }

        public int start() {
            return start;
        }

        public int end() {
            return start + 2;
        }

        private static boolean isHex(char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }

        /** What a regex's {@code \\b} sees as a word character. */
        private static boolean wordChar(char c) {
            return asciiWordChar(c) || c == '_' || (c >= 128 && Character.isLetterOrDigit(c));
        }
    }

    /** Hex digits (any spaces and colons between pairs dropped) as readable text, when they are that. */
    private static java.util.Optional<String> hex(String run) {
        StringBuilder digits = new StringBuilder(run.length());
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            if (Character.digit(c, 16) >= 0) {
                digits.append(c);
            } else if (c != ' ' && c != ':' && c != '\n' && c != '\t') {
                return java.util.Optional.empty();
            }
        }
        if (digits.length() < 32) {
            return java.util.Optional.empty();
        }
        return readable(HexFormat.of().parseHex(digits, 0, digits.length() & ~1));
    }

    private static boolean hasSpace(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String token(String raw, int start, int end, boolean spaced) {
        if (spaced) {
            return raw.substring(start, end);
        }
        while (start > 0 && !Character.isWhitespace(raw.charAt(start - 1))) {
            start--;
        }
        while (end < raw.length() && !Character.isWhitespace(raw.charAt(end))) {
            end++;
        }
        return raw.substring(start, end);
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
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // Results, not exceptions: binary data (an image, a hash) is common here, and an exception costs more than the scan of a page.
        if (utf8.decode(java.nio.ByteBuffer.wrap(bytes), chars, true).isError() || utf8.flush(chars).isError()) {
            return java.util.Optional.empty();
        }
        String text = chars.flip().toString();
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
