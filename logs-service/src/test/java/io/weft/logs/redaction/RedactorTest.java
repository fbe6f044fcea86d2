package io.weft.logs.redaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of log texts with what must be left of each and what must be counted: every secret shape
 * masked, personal data masked as the policy says, and the look-alikes logs are full of (dates, ids,
 * versions, addresses, kebab-case words, numbers failing their checksum) kept as they are.
 */
class RedactorTest {
    // Key-shaped values are assembled from pieces so that secret scanners do not flag this file.
    private static final String OPENAI = "sk-" + "abcdEFGH1234ijklMNOP5678qrstUVWX90yzABCDefgh";
    private static final String OPENAI_PROJECT = "sk-" + "proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_AbC-dEfGh";
    private static final String ANTHROPIC = "sk-" + "ant-api03-" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe-DcBa_ZyXw";
    private static final String GITHUB = "gh" + "p_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
    private static final String GITHUB_PAT = "github" + "_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123";
    private static final String SLACK = "xox" + "b-" + "1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
    private static final String GOOGLE = "AI" + "za" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q";
    private static final String STRIPE = "sk" + "_live_" + "4eC39HqLyjWDarjtT1zdp7dc";
    private static final String WEFT = "wf" + "t_" + "Q2xhdWRlIGlzIG5vdCBhIGtleSwganVzdCBhIHRlc3Q";
    private static final String AWS_ID = "AK" + "IA" + "IOSFODNN7EXAMPLE";
    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    private static final String PEM = "-----BEGIN " + "RSA PRIVATE KEY-----\n"
            + "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
            + "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
            + "-----END " + "RSA PRIVATE KEY-----";

    private static final Redactor REDACTOR = new Redactor();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Case(String name, RedactionPolicy policy, String input, String expected, Map<String, Integer> counts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> corpus() {
        return List.of(
                // API keys
                masked("OpenAI key", "key=" + OPENAI, "key=[redacted:api-key]", "api-key=1"),
                masked("OpenAI project key", "OPENAI_API_KEY=" + OPENAI_PROJECT + " loaded",
                        "OPENAI_API_KEY=[redacted:api-key] loaded", "api-key=1"),
                masked("Anthropic key", "x-api-key: " + ANTHROPIC, "x-api-key: [redacted:api-key]", "api-key=1"),
                masked("GitHub token", "git push with token " + GITHUB + " refused",
                        "git push with token [redacted:api-key] refused", "api-key=1"),
                masked("GitHub fine-grained token", "GH_TOKEN=" + GITHUB_PAT, "GH_TOKEN=[redacted:api-key]", "api-key=1"),
                masked("Slack bot token", "slack: invalid_auth for " + SLACK + ".",
                        "slack: invalid_auth for [redacted:api-key].", "api-key=1"),
                masked("Google key in a query string",
                        "GET https://maps.googleapis.com/maps/api/geocode/json?key=" + GOOGLE + "&address=Main",
                        "GET https://maps.googleapis.com/maps/api/geocode/json?key=[redacted:api-key]&address=Main",
                        "api-key=1"),
                masked("Stripe secret key", "stripe.api_key = '" + STRIPE + "'", "stripe.api_key = '[redacted:api-key]'",
                        "api-key=1"),
                masked("Weft API key", "X-Weft-Key: " + WEFT, "X-Weft-Key: [redacted:api-key]", "api-key=1"),
                kept("sketch, skip-to and task-list are words",
                        "see the sketch; the skip-to-content link; task-list-for-the-quarterly-roadmap-review"),
                kept("a kebab-case name after sk- without digits", "pipeline step sk-learn-preprocessing-pipeline-step"),
                kept("a bare prefix is not a key", "tokens look like ghp_ followed by 36 characters"),

                // Bearer tokens and JWTs
                masked("Authorization header", "Authorization: Bearer abc.def-ghi",
                        "Authorization: Bearer [redacted:bearer-token]", "bearer-token=1"),
                masked("lower-case bearer", "curl -H 'authorization: bearer 0123456789abcdef' https://api.example.com",
                        "curl -H 'authorization: bearer [redacted:bearer-token]' https://api.example.com",
                        "bearer-token=1"),
                kept("bearer in prose", "the Bearer token expired, bearer authentication failed"),
                masked("a JWT", "session=" + JWT + "; Path=/", "session=[redacted:jwt]; Path=/", "jwt=1"),
                masked("a JWT after Bearer counts as a JWT", "Authorization: Bearer " + JWT,
                        "Authorization: Bearer [redacted:jwt]", "jwt=1"),

                // URL passwords
                masked("database URL", "connecting to postgres://app:s3cr3t@db:5432/x failed",
                        "connecting to postgres://app:[redacted:url-password]@db:5432/x failed", "url-password=1"),
                masked("URL password without user", "REDIS_URL=redis://:hunter2@cache.internal:6379/0",
                        "REDIS_URL=redis://:[redacted:url-password]@cache.internal:6379/0", "url-password=1"),
                kept("URL with a port but no password",
                        "GET https://api.example.com:8443/v1/items?page=2&mail=none -> 200 in 35 ms"),

                // Cloud keys and private keys
                masked("AWS access key id", "using access key " + AWS_ID + " in eu-west-1",
                        "using access key [redacted:cloud-access-key] in eu-west-1", "cloud-access-key=1"),
                masked("AWS secret assignment", "aws_secret_access_key = " + AWS_SECRET,
                        "aws_secret_access_key = [redacted:cloud-access-key]", "cloud-access-key=1"),
                masked("AWS secret in JSON text", "{\"SecretAccessKey\": \"" + AWS_SECRET + "\"}",
                        "{\"SecretAccessKey\": \"[redacted:cloud-access-key]\"}", "cloud-access-key=1"),
                masked("PEM private key block", "loaded key:\n" + PEM + "\nand continued",
                        "loaded key:\n[redacted:private-key]\nand continued", "private-key=1"),
                masked("truncated PEM block", "key = -----BEGIN " + "PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
                        "key = [redacted:private-key]", "private-key=1"),
                kept("a public key is not a secret",
                        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"),

                // Emails
                masked("email in a sentence", "Contact jane.doe@example.com for access.",
                        "Contact [redacted:email] for access.", "email=1"),
                masked("email in angle brackets", "From: Jane Doe <jane+ops@mail.example.co.uk>",
                        "From: Jane Doe <[redacted:email]>", "email=1"),
                masked("two emails", "cc a@b.io, x_y@sub.domain.org", "cc [redacted:email], [redacted:email]", "email=2"),
                kept("at signs that are not emails", "user@localhost, @mention, foo@bar and npm i @scope/pkg@1.2.3"),

                // Phones
                masked("international phone", "call +1 415 555 0132 now", "call [redacted:phone] now", "phone=1"),
                masked("international phone with (0)", "tel: +44 (0)20 7946 0958", "tel: [redacted:phone]", "phone=1"),
                masked("compact international phone", "sms to +4915123456789 failed", "sms to [redacted:phone] failed",
                        "phone=1"),
                masked("national phone with parentheses", "office (415) 555-0132", "office [redacted:phone]", "phone=1"),
                masked("national phones with dashes and dots", "415-555-0132 or 415.555.0132",
                        "[redacted:phone] or [redacted:phone]", "phone=2"),
                masked("phone followed by a date", "call +1 415 555 0132 on 2026-11-25",
                        "call [redacted:phone] on 2026-11-25", "phone=1"),
                // National numbers (trunk prefix 0) only after a word that says they are phone numbers
                masked("UK national number after 'phone'", "customer phone 020 7946 0958 unreachable",
                        "customer phone [redacted:phone] unreachable", "phone=1"),
                masked("German number with a slash after 'Tel.:'", "Tel.: 030/1234567", "Tel.: [redacted:phone]", "phone=1"),
                masked("French mobile in pairs", "mobile: 06 12 34 56 78.", "mobile: [redacted:phone].", "phone=1"),
                masked("UK mobile after 'call me on'", "please call me on 07700 900123 today",
                        "please call me on [redacted:phone] today", "phone=1"),
                masked("area code in parentheses", "Telefon (030) 12345678", "Telefon [redacted:phone]", "phone=1"),
                kept("a repository remote is not an email", "cloning git@github.com:weft/flows.git into ./flows"),
                masked("an address before a colon is still one", "sent to ada@example.com: delivered",
                        "sent to [redacted:email]: delivered", "email=1"),
                kept("a national-looking number without a phone word", "order 0201234567 shipped to store 030 1234567"),
                kept("a phone word, then a short number", "phone: 0 missed calls, call took 0.25 s, call 012 34"),
                kept("a phone word, then a decimal", "call duration 0.123456789 s"),
                kept("a phone word, then dates", "call scheduled 05.12.2026, fax sent 03/11/2025"),
                kept("a phone word, then a run of digits too long for a number", "tel 0" + "1234567890".repeat(6)),
                masked("an address named git before a colon and a space", "sent to git@example.com: delivered",
                        "sent to [redacted:email]: delivered", "email=1"),
                kept("dates, times and timestamps", "run 2026-11-25 at 10:15:30, finished 2026-11-25T10:15:30.123Z"),
                kept("version numbers", "upgraded from 1.2.3 to 10.20.30-beta.4 (build 20261125)"),
                kept("UUIDs", "execution 550e8400-e29b-41d4-a716-446655440000 and 12345678-1234-5678-1234-567812345678"),
                kept("IPv4 addresses", "connect 192.168.100.200:5432 then 10.0.0.1 and 255.255.255.0"),
                kept("HTTP status codes and counts", "HTTP 503 Service Unavailable after 3 retries, then status=429"),
                kept("short numbers and ids", "order 12345678 shipped 99 items, ticket #4242, offset +0530"),
                kept("epoch milliseconds", "ts=1732541234567 latency=1500ms"),
                kept("trace ids", "trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7"),

                // Card numbers
                masked("Visa test number in groups", "card 4111 1111 1111 1111 declined",
                        "card [redacted:card-number] declined", "card-number=1"),
                masked("Mastercard test number with dashes", "pan=5555-5555-5555-4444", "pan=[redacted:card-number]",
                        "card-number=1"),
                masked("Amex test number", "amex 378282246310005.", "amex [redacted:card-number].", "card-number=1"),
                kept("16-digit order number failing Luhn", "order 5234567890123456 shipped"),
                kept("Visa-shaped number failing Luhn", "ref 4111 1111 1111 1112"),

                // IBANs
                masked("German IBAN in groups", "IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX",
                        "IBAN [redacted:iban], BIC COBADEFFXXX", "iban=1"),
                masked("British IBAN compact", "pay to GB82WEST12345698765432 today", "pay to [redacted:iban] today",
                        "iban=1"),
                masked("IBAN followed by a number", "BE68 5390 0754 7034 2026", "[redacted:iban] 2026", "iban=1"),
                kept("IBAN with a wrong check digit", "IBAN DE88 3704 0044 0532 0130 00"),
                kept("IBAN-shaped id of the wrong length", "id DE8937040044053201300099"),

                // Several at once, policies, markers
                masked("several kinds in one text",
                        "user bob@example.com paid 4111-1111-1111-1111 from +49 30 1234567 using "
                                + STRIPE + " at postgres://app:pw@db/x",
                        "user [redacted:email] paid [redacted:card-number] from [redacted:phone] using "
                                + "[redacted:api-key] at postgres://app:[redacted:url-password]@db/x",
                        "api-key=1 url-password=1 email=1 phone=1 card-number=1"),
                new Case("personal data off keeps emails, masks keys", RedactionPolicy.secretsOnly(),
                        "mail bob@example.com, call +1 415 555 0132, key " + OPENAI,
                        "mail bob@example.com, call +1 415 555 0132, key [redacted:api-key]", counts("api-key=1")),
                new Case("personal data off keeps cards and IBANs", RedactionPolicy.secretsOnly(),
                        "4111 1111 1111 1111 / DE89 3704 0044 0532 0130 00",
                        "4111 1111 1111 1111 / DE89 3704 0044 0532 0130 00", counts("")),
                new Case("only emails among personal data", RedactionPolicy.of(Set.of(RedactionCategory.EMAIL)),
                        "bob@example.com +1 415 555 0132 Bearer abc.def-ghi",
                        "[redacted:email] +1 415 555 0132 Bearer [redacted:bearer-token]",
                        counts("bearer-token=1 email=1")),
                kept("markers are not matched again", "[redacted:email] and Bearer [redacted:bearer-token] and "
                        + "postgres://app:[redacted:url-password]@db.example.com/x"),
                kept("too short to hold anything", "a@b.c"),
                kept("plain log line", "node 'Send invoice' finished in 152 ms with 3 items"),

                // Basic credentials and secrets assigned in text
                masked("basic authorization header", "Authorization: Basic dXNlcjpodW50ZXIy",
                        "Authorization: Basic [redacted:basic-credentials]", "basic-credentials=1"),
                kept("basic as a word", "basic information about Basic authentication"),
                masked("password in a query string", "GET /login?user=ada&password=hunter2&next=/",
                        "GET /login?user=ada&password=[redacted:secret-field]&next=/", "secret-field=1"),
                masked("client secret in JSON text", "{\"client_secret\": \"abc123\"}",
                        "{\"client_secret\": \"[redacted:secret-field]\"}", "secret-field=1"),
                masked("camelCase token", "accessToken=ya29.a0AfH6SMBx", "accessToken=[redacted:secret-field]", "secret-field=1"),
                masked("password in YAML", "password: s3cr3t", "password: [redacted:secret-field]", "secret-field=1"),
                kept("token counts are no secrets", "usage: token: 512, tokens=1024, max_tokens: 4096"),
                kept("words that end like secret names", "bypass=true compass: north passwords: 3 rules"),
                masked("a key split by NUL is still a key (NUL is dropped)", "key " + OPENAI.substring(0, 6) + "\0" + OPENAI.substring(6),
                        "key [redacted:api-key]", "api-key=1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void redactsTheCorpus(Case c) {
        RedactionCounts counts = new RedactionCounts();

        String redacted = REDACTOR.redact(c.input(), c.policy(), counts);

        assertEquals(c.expected(), redacted);
        assertEquals(c.counts(), counts.asMap());
        if (c.expected().equals(c.input())) {
            assertSame(c.input(), redacted, "an untouched text is returned as is");
        }
        RedactionCounts again = new RedactionCounts();
        assertEquals(redacted, REDACTOR.redact(redacted, c.policy(), again), "redacting twice changes nothing");
        assertTrue(again.isEmpty(), "nothing new is counted the second time: " + again);
    }

    @Test
    void theCorpusIsLargeEnough() {
        List<Case> corpus = corpus();
        assertTrue(corpus.size() >= 50, "corpus has " + corpus.size() + " cases");
        assertTrue(corpus.stream().anyMatch(c -> c.counts().isEmpty()));
        for (RedactionCategory category : RedactionCategory.values()) {
            if (category != RedactionCategory.SECRET_FIELD) {
                assertTrue(corpus.stream().anyMatch(c -> c.counts().containsKey(category.wireName())),
                        "no case masks " + category);
            }
        }
    }

    @Test
    void jsonStringsAndSecretFieldsAreRedactedInACopy() throws Exception {
        JsonNode input = MAPPER.readTree("""
                {"user": "bob@example.com", "password": "hunter2", "retries": 3,
                 "db": {"dbPassword": "x", "port": 5432, "hosts": ["a@b.io", "db.local", 42, null, true]},
                 "headers": [{"Authorization": "Bearer abc.def-ghi", "X-Api-Key": "k1", "Accept": "*/*"}],
                 "refresh_token": "", "nested": {"client_secret": 12345, "token": null, "secret": {"value": "v"}},
                 "matrix": [["call +1 415 555 0132", 4111111111111111], [], [{"session-token": "t0k3n"}]]}
                """);
        JsonNode before = input.deepCopy();
        RedactionCounts counts = new RedactionCounts();

        JsonNode redacted = REDACTOR.redact(input, RedactionPolicy.all(), counts);

        assertEquals(MAPPER.readTree("""
                {"user": "[redacted:email]", "password": "[redacted:secret-field]", "retries": 3,
                 "db": {"dbPassword": "[redacted:secret-field]", "port": 5432,
                        "hosts": ["[redacted:email]", "db.local", 42, null, true]},
                 "headers": [{"Authorization": "[redacted:secret-field]", "X-Api-Key": "[redacted:secret-field]",
                              "Accept": "*/*"}],
                 "refresh_token": "", "nested": {"client_secret": "[redacted:secret-field]", "token": null,
                                                 "secret": {"value": "v"}},
                 "matrix": [["call [redacted:phone]", 4111111111111111], [], [{"session-token": "[redacted:secret-field]"}]]}
                """), redacted);
        assertEquals(Map.of("secret-field", 6, "email", 2, "phone", 1), counts.asMap());
        assertEquals(before, input, "the input is not changed");
        assertNotSame(input.get("matrix").get(1), redacted.get("matrix").get(1), "containers are copies");
        assertEquals(List.of("user", "password", "retries", "db", "headers", "refresh_token", "nested", "matrix"),
                iterableToList(redacted.fieldNames()));
    }

    @Test
    void secretFieldsAreMaskedWhateverThePolicy() throws Exception {
        RedactionCounts counts = new RedactionCounts();

        JsonNode redacted = REDACTOR.redact(MAPPER.readTree("{\"apiKey\": \"abc\", \"email\": \"bob@example.com\"}"),
                RedactionPolicy.secretsOnly(), counts);

        assertEquals(MAPPER.readTree("{\"apiKey\": \"[redacted:secret-field]\", \"email\": \"bob@example.com\"}"), redacted);
        assertEquals(Map.of("secret-field", 1), counts.asMap());
        assertEquals(redacted, REDACTOR.redact(redacted, RedactionPolicy.secretsOnly(), counts));
        assertEquals(1, counts.total(), "a field already redacted is not counted again");
    }

    @Test
    void nullsStayNull() {
        RedactionCounts counts = new RedactionCounts();
        assertNull(REDACTOR.redact((String) null, RedactionPolicy.all(), counts));
        assertNull(REDACTOR.redact((JsonNode) null, RedactionPolicy.all(), counts));
        assertTrue(counts.isEmpty());
    }

    @Test
    void secretCategoriesCannotBeTurnedOff() {
        RedactionPolicy policy = RedactionPolicy.of(Set.of());
        for (RedactionCategory category : RedactionCategory.values()) {
            assertEquals(category.secret(), policy.masks(category), category.name());
            assertTrue(RedactionPolicy.all().masks(category));
        }
        assertEquals(RedactionPolicy.secretsOnly(), policy);
    }

    @Test
    void countsMergeAndReportByWireName() {
        RedactionCounts a = new RedactionCounts();
        a.add(RedactionCategory.EMAIL);
        a.add(RedactionCategory.EMAIL);
        RedactionCounts b = new RedactionCounts();
        b.add(RedactionCategory.API_KEY);
        b.add(RedactionCategory.EMAIL);

        a.merge(b);

        assertEquals(3, a.count(RedactionCategory.EMAIL));
        assertEquals(4, a.total());
        assertEquals(Map.of("api-key", 1, "email", 3), a.asMap());
        assertTrue(new RedactionCounts().isEmpty());
        for (RedactionCategory category : RedactionCategory.values()) {
            assertTrue(category.wireName().matches("[a-z]+(-[a-z]+)*"), category.wireName());
            assertEquals(category, RedactionCategory.byWireName(category.wireName()).orElseThrow());
        }
    }

    @Test
    void hostileInputStaysLinear() {
        List<String> hostile = List.of(
                "a".repeat(200_000) + "@example.com",
                "a@".repeat(100_000),
                "1-".repeat(100_000),
                "+1 ".repeat(70_000),
                ("eyJ" + "a".repeat(1000) + ".").repeat(200),
                ("-----BEGIN PRIVATE KEY-----" + "x".repeat(100)).repeat(200),
                ("http://" + "u".repeat(100) + ":").repeat(1000) + "@",
                "Bearer ".repeat(30_000),
                ("DE89 " + "3704 ".repeat(10)).repeat(2000),
                "4111 ".repeat(50_000),
                "password=".repeat(30_000),
                "token: x ".repeat(30_000),
                "Basic ".repeat(40_000) + "dXNlcjpodW50ZXIy",
                ("tel 0" + "1".repeat(60) + "x ").repeat(3000),
                ("phone 0" + "12 ".repeat(20) + "9x ").repeat(3000));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (String text : hostile) {
                REDACTOR.redact(text, RedactionPolicy.all(), new RedactionCounts());
            }
        });
    }

    private static Case masked(String name, String input, String expected, String counts) {
        return new Case(name, RedactionPolicy.all(), input, expected, counts(counts));
    }

    private static Case kept(String name, String input) {
        return new Case(name, RedactionPolicy.all(), input, input, Map.of());
    }

    /** "api-key=1 email=2" as a map. */
    private static Map<String, Integer> counts(String spec) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String entry : spec.split(" ")) {
            if (!entry.isEmpty()) {
                String[] parts = entry.split("=");
                counts.put(parts[0], Integer.parseInt(parts[1]));
            }
        }
        return counts;
    }

    private static <T> List<T> iterableToList(Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
