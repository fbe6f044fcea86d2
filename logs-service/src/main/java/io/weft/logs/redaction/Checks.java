package io.weft.logs.redaction;

import java.util.regex.Pattern;

/** What the patterns cannot say: checksums, digit counts and how random a token looks. */
final class Checks {
    /** IBAN length by country (ISO 13616 registry), indexed by the two letters; 0 for no IBAN country. */
    private static final int[] IBAN_LENGTHS = new int[26 * 26];

    static {
        String registry = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 "
                + "DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 "
                + "IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 "
                + "MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 "
                + "SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";
        for (String entry : registry.split(" ")) {
            IBAN_LENGTHS[(entry.charAt(0) - 'A') * 26 + entry.charAt(1) - 'A'] = Integer.parseInt(entry.substring(2));
        }
    }

    private Checks() {
    }

    /**
     * A card number: 13 to 19 digits passing the Luhn check, either in one run or in groups of 3 to 6
     * digits all separated by the same character. The Luhn check is what keeps order numbers and ids.
     */
    static int cardNumber(String text, int start, int end) {
        int digits = 0;
        int group = 0;
        char separator = 0;
        int sum = 0;
        // Luhn from the right: every second digit, counting from the check digit, is doubled.
        for (int i = end - 1; i >= start; i--) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                int d = c - '0';
                if ((digits & 1) == 1) {
                    d = d * 2 > 9 ? d * 2 - 9 : d * 2;
                }
                sum += d;
                digits++;
                group++;
            } else {
                if ((separator != 0 && c != separator) || group < 3 || group > 6) {
                    return -1;
                }
                separator = c;
                group = 0;
            }
        }
        if (separator != 0 && (group < 3 || group > 6)) {
            return -1;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0 ? end : -1;
    }

    /**
     * An IBAN: a known country, exactly that country's length and a mod-97 remainder of 1. In grouped form
     * the pattern may have taken a following group of 4 too; the IBAN then ends at the group boundary
     * where the country's length is reached.
     */
    static int iban(String text, int start, int end) {
        int expected = IBAN_LENGTHS[(text.charAt(start) - 'A') * 26 + text.charAt(start + 1) - 'A'];
        if (expected == 0) {
            return -1;
        }
        int length = 0;
        int stop = -1;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) != ' ' && ++length == expected) {
                stop = i + 1;
                break;
            }
        }
        if (stop < 0 || (stop < end && text.charAt(stop) != ' ')) {
            return -1;
        }
        // ISO 13616: the first four characters move to the end, letters count as 10..35, remainder mod 97 is 1.
        int remainder = mod97(text, start + 4, stop, 0);
        remainder = mod97(text, start, start + 4, remainder);
        return remainder == 1 ? stop : -1;
    }

    private static int mod97(String text, int from, int to, int remainder) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                remainder = (remainder * 10 + c - '0') % 97;
            } else if (c != ' ') {
                remainder = (remainder * 100 + c - 'A' + 10) % 97;
            }
        }
        return remainder;
    }

    private static final Pattern DATE = Pattern.compile(
            "\\d{1,2}([./-])\\d{1,2}\\1\\d{2}(?:\\d{2})?");

    /** {@link #phone}, but a date after a phone word ({@code call on 05.12.2026}) is not a number. */
    static int nationalPhone(String text, int start, int end) {
        return DATE.matcher(text).region(start, end).matches() ? -1 : phone(text, start, end);
    }

    /**
     * A phone number has 8 to 15 digits (E.164 allows at most 15). When the pattern ran on into a number
     * that follows (a date, a count), the last groups are dropped until the count fits.
     */
    static int phone(String text, int start, int end) {
        int stop = end;
        while (true) {
            int digits = 0;
            for (int i = start; i < stop; i++) {
                if (isDigit(text.charAt(i))) {
                    digits++;
                }
            }
            if (digits < 8) {
                return -1;
            }
            if (digits <= 15) {
                return stop;
            }
            while (stop > start && isDigit(text.charAt(stop - 1))) {
                stop--;
            }
            while (stop > start && !isDigit(text.charAt(stop - 1))) {
                stop--;
            }
        }
    }

    /**
     * Generic {@code sk-} and Slack tokens must hold a digit: their prefixes also start ordinary
     * kebab-case words ({@code sk-learn-…}), which a random key of this length practically never is.
     */
    static int apiKey(String text, int start, int end) {
        if (text.startsWith("sk-", start) || text.startsWith("xox", start)) {
            for (int i = start + 3; i < end; i++) {
                if (isDigit(text.charAt(i))) {
                    return end;
                }
            }
            return -1;
        }
        return end;
    }

    /**
     * What follows {@code Bearer} is a token when it holds a character other than a letter, or is long and
     * mixed-case; "Bearer token expired" and "bearer authentication" are prose.
     */
    static int bearerToken(String text, int start, int end) {
        boolean innerUpper = false;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z')) {
                return end;
            }
            innerUpper |= i > start && c >= 'A' && c <= 'Z';
        }
        return end - start >= 16 && innerUpper ? end : -1;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The number of ASCII digits in the text, counted up to {@code cap}. */
    static int countDigits(String text, int cap) {
        int digits = 0;
        for (int i = 0, n = text.length(); i < n && digits < cap; i++) {
            if (isDigit(text.charAt(i))) {
                digits++;
            }
        }
        return digits;
    }

    /** Basic credentials: base64 of {@code user:password} (what makes "Basic information" no secret). */
    static int basicCredentials(String text, int start, int end) {
        try {
            byte[] decoded = java.util.Base64.getDecoder().decode(text.substring(start, end));
            for (byte b : decoded) {
                if (b == ':') {
                    return end;
                }
            }
        } catch (IllegalArgumentException e) {
            // not base64
        }
        return -1;
    }

    /**
     * A value assigned to a secret's name: any value for passwords, passphrases and secrets; at least
     * 8 characters for tokens and keys (so {@code token: 512}, a count, is kept).
     */
    static int secretAssignment(String text, int start, int end) {
        int i = start - 1;
        while (i >= 0 && "\"' \t:=".indexOf(text.charAt(i)) >= 0) {
            i--;
        }
        int nameEnd = i + 1;
        while (i >= 0 && Character.isLetter(text.charAt(i))) {
            i--;
        }
        String name = text.substring(i + 1, nameEnd).toLowerCase(java.util.Locale.ROOT);
        boolean password = name.endsWith("password") || name.endsWith("passwd") || name.endsWith("passphrase") || name.endsWith("secret");
        return password || end - start >= 8 ? end : -1;
    }
}
