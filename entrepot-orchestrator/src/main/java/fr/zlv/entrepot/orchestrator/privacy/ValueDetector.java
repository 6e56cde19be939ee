package fr.zlv.entrepot.orchestrator.privacy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells whether one value looks like personal data: an e-mail address, a French phone number, or a person's name
 * (a short text without digits, one of whose words is a frequent French first name). A pseudonym (64 hexadecimal
 * digits, the keyed HMAC-SHA256 of {@code pseudonymise()}) is never personal.
 */
public final class ValueDetector {

    /** What a value looks like. */
    public enum Kind {
        EMAIL("e-mail addresses"), PHONE("phone numbers"), NAME("people's names");

        private final String plural;

        Kind(String plural) {
            this.plural = plural;
        }

        public String plural() {
            return plural;
        }
    }

    /** A pseudonym: the hexadecimal keyed HMAC-SHA256 that {@code pseudonymise()} writes. */
    static final Pattern PSEUDONYM = Pattern.compile("[0-9a-fA-F]{64}");
    /** An e-mail address anywhere in the value (free text too). */
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /**
     * A French phone number anywhere in the value: 0X XX XX XX XX (spaces, dots, dashes or nothing between the
     * pairs) or +33 / 0033 then nine digits (an optional "(0)"), not inside a longer run of digits (ids, codes).
     */
    static final Pattern PHONE = Pattern.compile(
            "(?<![\\d+])(?:(?:\\+|00)33[\\s.-]?(?:\\(0\\)[\\s.-]?)?|0)[1-9](?:[\\s.-]?\\d{2}){4}(?!\\d)");
    /** At most this many words in a name ("DUPONT Jean Pierre Marie"); longer texts are labels or sentences. */
    private static final int MAX_NAME_WORDS = 4;
    /** Words that make a text a place, a street or an organisation even with a first name in it (Saint Jean). */
    private static final Set<String> NOT_A_PERSON = Set.of("SAINT", "SAINTE", "ST", "STE", "RUE", "AVENUE", "AV",
            "BOULEVARD", "BD", "PLACE", "CHEMIN", "ALLEE", "IMPASSE", "ROUTE", "QUAI", "COURS", "SQUARE", "RESIDENCE",
            "DOMAINE", "PARC", "COMMUNE", "VILLE", "METROPOLE", "COMMUNAUTE", "AGGLOMERATION", "CA", "CC", "CU",
            "DEPARTEMENT", "REGION", "COLLEGE", "LYCEE", "ECOLE", "HOPITAL", "EGLISE", "SCI", "SARL", "SAS", "SA",
            "ASSOCIATION", "SOCIETE", "MAIRIE");
    private static final Pattern WORDS = Pattern.compile("[\\s,;/()]+");
    private static final Pattern DIGIT = Pattern.compile("\\d");

    private final Set<String> firstNames;

    private ValueDetector(Set<String> firstNames) {
        this.firstNames = firstNames;
    }

    /** With the first names of the resource {@code first-names.txt} beside this class. */
    public static ValueDetector withBuiltInNames() {
        try (InputStream in = ValueDetector.class.getResourceAsStream("first-names.txt")) {
            if (in == null) {
                throw new IllegalStateException("first-names.txt is missing from the classpath");
            }
            Set<String> names = new HashSet<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(normalise(name));
                }
            }
            return new ValueDetector(Set.copyOf(names));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many first names the detector knows. */
    public int firstNameCount() {
        return firstNames.size();
    }

    /** What the value looks like, or null when it looks like nothing personal (a pseudonym included). */
    public Kind detect(String value) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        if (text.isEmpty() || PSEUDONYM.matcher(text).matches()) {
            return null;
        }
        if (text.indexOf('@') >= 0 && EMAIL.matcher(text).find()) {
            return Kind.EMAIL;
        }
        if (PHONE.matcher(text).find()) {
            return Kind.PHONE;
        }
        return looksLikeAName(text) ? Kind.NAME : null;
    }

    private boolean looksLikeAName(String text) {
        if (DIGIT.matcher(text).find()) {
            return false;
        }
        String[] words = WORDS.split(normalise(text));
        if (words.length == 0 || words.length > MAX_NAME_WORDS) {
            return false;
        }
        boolean firstName = false;
        for (String raw : words) {
            String word = raw.replaceAll("^[.'\"-]+|[.'\"-]+$", "");
            if (NOT_A_PERSON.contains(word)) {
                return false;
            }
            firstName |= isFirstName(word);
        }
        return firstName;
    }

    /** A first name, or a compound of first names (JEAN-PIERRE, MARIE-CLAIRE). */
    private boolean isFirstName(String word) {
        if (word.isEmpty()) {
            return false;
        }
        if (firstNames.contains(word)) {
            return true;
        }
        if (word.indexOf('-') < 0) {
            return false;
        }
        for (String part : word.split("-")) {
            if (!firstNames.contains(part)) {
                return false;
            }
        }
        return true;
    }

    /** Upper case, accents off: Hélène → HELENE. */
    static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toUpperCase(Locale.ROOT);
    }
}
