package io.weft.logs.redaction;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The detectors in the order they run: the more specific shapes first, so that a JWT after
 * {@code Bearer} is counted as a JWT and a URL password is not read as an email. Patterns are only
 * tried at their anchors (see {@link Anchoring}), and no repetition in them can match the same text two
 * ways, so they stay linear on long hostile input.
 */
final class Detectors {
    /** Characters of base64url tokens. */
    private static final String B64 = "[A-Za-z0-9_-]";

    static final Detector PRIVATE_KEY = new RegexDetector(RedactionCategory.PRIVATE_KEY, 30, 0,
            text -> from -> text.indexOf("-----BEGIN ", from),
            Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----[\\s\\S]*?"
                    // A truncated block (a log line cut short) is masked to the end of the text.
                    + "(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----|\\z)"),
            RegexDetector.Check.ANY);

    static final Detector JWT = new RegexDetector(RedactionCategory.JWT, 16, 0,
            text -> from -> text.indexOf("eyJ", from),
            // eyJ is base64url for '{"', the start of every JOSE header; the signature is empty for alg "none".
            Pattern.compile("(?<!" + B64 + ")eyJ" + B64 + "{7,}\\." + B64 + "{2,}\\." + B64 + "*"),
            RegexDetector.Check.ANY);

    static final Detector URL_PASSWORD = new RegexDetector(RedactionCategory.URL_PASSWORD, 8, 0,
            text -> text.indexOf('@') < 0 ? from -> -1 : from -> text.indexOf("://", from),
            Pattern.compile("(?<=[A-Za-z0-9])://[^\\s:/?#@\\[\\]]{0,128}:(?<mask>[^\\s/@]{1,256})@"),
            RegexDetector.Check.ANY);

    static final Detector BEARER_TOKEN = new RegexDetector(RedactionCategory.BEARER_TOKEN, 13, 0,
            text -> from -> Anchoring.indexOfIgnoreCase(text, "bearer", from),
            Pattern.compile("(?<![A-Za-z0-9])(?i:bearer)[ \\t]+(?<mask>[A-Za-z0-9._~+/=-]{6,})"),
            Checks::bearerToken);

    static final Detector BASIC_CREDENTIALS = new RegexDetector(RedactionCategory.BASIC_CREDENTIALS, 14, 0,
            text -> from -> Anchoring.indexOfIgnoreCase(text, "basic", from),
            Pattern.compile("(?<![A-Za-z0-9])(?i:basic)[ \\t]+(?<mask>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])"),
            Checks::basicCredentials);

    /** A secret's name assigned a value in text; the name may end a camelCase word ({@code accessToken}) or follow a non-letter. */
    static final Detector SECRET_ASSIGNMENT = new RegexDetector(RedactionCategory.SECRET_FIELD, 10, 0,
            text -> text.indexOf('=') < 0 && text.indexOf(':') < 0 ? from -> -1
                    : Anchoring.firstOfIgnoreCase(text, "passw", "passphrase", "secret", "token", "api"),
            Pattern.compile("(?:(?<![A-Za-z0-9])|(?<=[a-z])(?=[A-Z]))"
                    + "(?i:passw(?:or)?d|passphrase|secret|token|api[_-]?key)[\"']?[ \\t]*[:=][ \\t]*[\"']?"
                    + "(?<mask>[^\\s\"'&,;\\[][^\\s\"'&,;]{0,255})"),
            Checks::secretAssignment);

    static final Detector API_KEY = new RegexDetector(RedactionCategory.API_KEY, 15, 0,
            Anchoring::apiKey,
            Pattern.compile("(?<!" + B64 + ")(?:"
                    + "sk-" + B64 + "{20,}"                       // OpenAI sk-, sk-proj-; Anthropic sk-ant-
                    + "|gh[pousr]_[A-Za-z0-9]{36,}"               // GitHub tokens
                    + "|github_pat_[A-Za-z0-9_]{22,}"             // GitHub fine-grained tokens
                    + "|xox[bpars]-[A-Za-z0-9-]{10,}"             // Slack
                    + "|AIza" + B64 + "{35}"                      // Google
                    + "|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"     // Stripe secret and restricted keys
                    + "|w[fr]t_" + B64 + "{32,}"                   // Weft API keys and refresh tokens
                    + ")(?!" + B64 + ")"),
            Checks::apiKey);

    static final Detector CLOUD_ACCESS_KEY = new RegexDetector(RedactionCategory.CLOUD_ACCESS_KEY, 20, 0,
            // An AWS access key id; or the secret key assigned to aws_secret_access_key, SecretAccessKey, ….
            // Anchored after the first letter, whose case varies: "ecret" and "ECRET" are two plain searches.
            text -> Anchoring.firstOf(text, "AKIA", "ASIA", "ecret", "ECRET"),
            Pattern.compile("(?<![A-Za-z0-9])A(?:KI|SI)A[A-Z0-9]{16}(?![A-Za-z0-9])"
                    + "|(?<=[Ss])(?i:ecret[_-]?access[_-]?key)[\"']?\\s*[:=]\\s*[\"']?"
                    + "(?<mask>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"),
            RegexDetector.Check.ANY);

    static final Detector IBAN = new RegexDetector(RedactionCategory.IBAN, 15, 4,
            text -> from -> Anchoring.iban(text, from),
            // Compact, or in groups of four split by single spaces (the last group shorter).
            Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}"
                    + "(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])"),
            Checks::iban);

    static final Detector CARD_NUMBER = new RegexDetector(RedactionCategory.CARD_NUMBER, 13, 13,
            // Issuer numbers start with 2 to 6; that keeps epoch milliseconds (17…) and most ids out.
            text -> from -> Anchoring.cardNumber(text, from),
            Pattern.compile("(?<![A-Za-z0-9_.+-])[2-6]\\d{3}(?:[ -]?\\d){9,15}(?![A-Za-z0-9_]|[.-]\\d)"),
            Checks::cardNumber);

    static final Detector EMAIL = new EmailDetector();

    static final Detector PHONE = new RegexDetector(RedactionCategory.PHONE, 9, 8,
            text -> from -> Anchoring.phone(text, from),
            Pattern.compile(
                    // International: + country code, then groups split by one space, dash or dot, or by "(0)" / "(415)".
                    "(?<![A-Za-z0-9_+])\\+[1-9]\\d{0,14}(?:(?:[ .-]|[ .-]?\\(\\d{1,5}\\)[ .-]?)\\d{1,12}){0,8}"
                            + "(?![A-Za-z0-9_]|[.-]\\d)"
                            // North American national: (415) 555-0132, 415-555-0132, 415.555.0132.
                            + "|(?<![A-Za-z0-9_.+-])(?:\\([2-9]\\d{2}\\) ?[2-9]\\d{2}[-. ]\\d{4}"
                            + "|[2-9]\\d{2}(?<sep>[-.])[2-9]\\d{2}\\k<sep>\\d{4})(?![A-Za-z0-9_]|[.-]\\d)"),
            Checks::phone);

    /**
     * A national number (trunk prefix 0: 020 7946 0958, 030/1234567, 06 12 34 56 78, (030) 1234567) only
     * after a word that says it is one: without the country code it looks like any other number.
     */
    static final Detector NATIONAL_PHONE = new RegexDetector(RedactionCategory.PHONE, 8, 8,
            text -> from -> Anchoring.nationalPhone(text, from),
            Pattern.compile(
                    "(?<=(?i:\\b(?:tel|tél|telephone|téléphone|phone|mobile|mob|cell|cellphone|fax|call|sms|whatsapp"
                            + "|telefon|telefonnummer|rufnummer|handy|portable|móvil|movil|cellulare|telefono|teléfono)\\b)"
                            + "[^\\d\\n]{0,16})"
                            // atomic: a long run of digits that fails the look-ahead is not split every possible way
                            + "(?>(?:\\(0[1-9]\\d{0,4}\\)[ ]?|0[1-9]\\d{0,4})(?:(?:[ .-]|[ ]?/[ ]?)?\\d{2,8}){1,5})"
                            + "(?![A-Za-z0-9_]|[.-]\\d)"),
            Checks::nationalPhone);

    static final List<Detector> IN_ORDER = List.of(PRIVATE_KEY, JWT, URL_PASSWORD, BEARER_TOKEN, BASIC_CREDENTIALS, API_KEY,
            CLOUD_ACCESS_KEY, SECRET_ASSIGNMENT, IBAN, CARD_NUMBER, EMAIL, PHONE, NATIONAL_PHONE);

    /** The shortest text any detector can match ({@code a@b.co}). */
    static final int SHORTEST_MATCH = 6;

    private Detectors() {
    }
}
