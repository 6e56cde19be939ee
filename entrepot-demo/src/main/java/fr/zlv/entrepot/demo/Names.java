package fr.zlv.entrepot.demo;

import java.util.List;
import java.util.SplittableRandom;

/** Fake but plausible French personal data: names, streets, e-mail addresses, phone numbers. */
public final class Names {

    private static final List<String> FIRST_NAMES = List.of(
            "Jean", "Marie", "Pierre", "Michel", "Nathalie", "Isabelle", "Philippe", "Catherine", "Alain",
            "Sylvie", "Nicolas", "Christine", "Bernard", "Françoise", "Patrick", "Monique", "Christophe",
            "Valérie", "Daniel", "Sandrine", "Jacques", "Martine", "Laurent", "Nicole", "Stéphane", "Anne",
            "Thierry", "Céline", "Julien", "Émilie", "Hélène", "Louis", "Gabriel", "Léa", "Chloé", "Manon",
            "Hugo", "Camille", "Sophie", "André", "Yvette", "Gérard", "Josette", "René", "Odette", "Lucien",
            "Mathieu", "Aurélie", "Sébastien", "Élodie", "Antoine", "Pauline", "Maxime", "Jeanne", "Henri");
    private static final List<String> LAST_NAMES = List.of(
            "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
            "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
            "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure",
            "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand",
            "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel",
            "Mathieu", "Gautier", "Masson", "Le Gall", "Kerbrat", "Quéméner", "Santoni", "Casanova", "Leclercq");
    private static final List<String> STREET_KINDS = List.of(
            "RUE", "RUE", "RUE", "AVENUE", "BOULEVARD", "CHEMIN", "IMPASSE", "PLACE", "ROUTE", "ALLEE", "LIEU DIT");
    private static final List<String> STREET_NAMES = List.of(
            "DE LA REPUBLIQUE", "VICTOR HUGO", "JEAN JAURES", "DU GENERAL DE GAULLE", "DES LILAS", "DE LA GARE",
            "DE L EGLISE", "PASTEUR", "DU MOULIN", "DES ECOLES", "DE LA MAIRIE", "GAMBETTA", "DU STADE",
            "DES TILLEULS", "DU CHATEAU", "DE LA FONTAINE", "NATIONALE", "DES PEUPLIERS", "DU PORT", "DE LA PAIX");
    private static final List<String> COMPANY_KINDS = List.of("SCI", "SARL", "SAS", "SCI", "SCI", "GFA");
    private static final List<String> MAIL_DOMAINS = List.of(
            "gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "wanadoo.fr", "sfr.fr", "yahoo.fr");

    private Names() {
    }

    public static String firstName(SplittableRandom random) {
        return DemoRandom.pick(random, FIRST_NAMES);
    }

    public static String lastName(SplittableRandom random) {
        return DemoRandom.pick(random, LAST_NAMES);
    }

    /** A person as the land registry writes it: SURNAME First names. */
    public static String registryName(SplittableRandom random) {
        String name = lastName(random).toUpperCase(java.util.Locale.ROOT) + " " + firstName(random);
        return random.nextInt(3) == 0 ? name + " " + firstName(random) : name;
    }

    /** A company owner: SCI DES TILLEULS. */
    public static String companyName(SplittableRandom random) {
        return DemoRandom.pick(random, COMPANY_KINDS) + " " + DemoRandom.pick(random, STREET_NAMES).replace("DE LA ", "")
                .replace("DU ", "").replace("DES ", "") + (random.nextBoolean() ? "" : " " + (1 + random.nextInt(9)));
    }

    /** A street line: 12 RUE DES LILAS. */
    public static String streetLine(SplittableRandom random) {
        String kind = DemoRandom.pick(random, STREET_KINDS);
        String name = DemoRandom.pick(random, STREET_NAMES);
        return kind.equals("LIEU DIT") ? kind + " " + name.replace("DE LA ", "LA ")
                : (1 + random.nextInt(120)) + " " + kind + " " + name;
    }

    public static String email(SplittableRandom random, String first, String last) {
        String local = ascii(first) + "." + ascii(last) + (random.nextInt(3) == 0 ? String.valueOf(random.nextInt(99)) : "");
        return local + "@" + DemoRandom.pick(random, MAIL_DOMAINS);
    }

    /** A French mobile or landline number: 06 12 34 56 78. */
    public static String phone(SplittableRandom random) {
        StringBuilder phone = new StringBuilder(random.nextInt(3) == 0 ? "0" + (1 + random.nextInt(5)) : "0" + (6 + random.nextInt(2)));
        for (int i = 0; i < 4; i++) {
            phone.append(' ').append(String.format("%02d", random.nextInt(100)));
        }
        return phone.toString();
    }

    /** Lower case, no accents, no spaces: for e-mail addresses and user names. */
    public static String ascii(String text) {
        String plain = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
