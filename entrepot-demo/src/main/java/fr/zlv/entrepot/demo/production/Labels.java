package fr.zlv.entrepot.demo.production;

import java.util.List;

/** The application's enumerations, as stored in production. */
final class Labels {

    /** Follow-up status labels, by status code 0 to 5. */
    static final List<String> STATUS = List.of(
            "Non suivi", "En attente de retour", "Premier contact", "Suivi en cours", "Suivi terminé", "Suivi bloqué");

    static final List<List<String>> SUB_STATUS = List.of(
            List.of(),
            List.of(),
            List.of("Intérêt potentiel / En réflexion", "En pré-accompagnement", "N’habite pas à l’adresse indiquée"),
            List.of("En accompagnement", "Intervention publique", "En sortie sans accompagnement",
                    "Mutation en cours ou effectuée"),
            List.of("Sortie de la vacance", "N'était pas vacant", "Sortie de la passoire énergétique",
                    "N'était pas une passoire énergétique", "Autre objectif rempli"),
            List.of("Blocage involontaire du propriétaire", "Blocage volontaire du propriétaire",
                    "Immeuble / Environnement", "Tiers en cause"));

    /** Occupancy codes other than vacant, as a housing leaving vacancy takes them. */
    static final List<String> OCCUPIED = List.of("L", "P", "RS", "B", "G", "T", "A");

    static final List<String> OWNER_KIND = List.of(
            "Particulier", "SCI, Copropriété, Autres personnes morales", "Promoteur, Investisseur privé",
            "Etat et collectivité territoriale", "Bailleur social, Aménageur, Investisseur public", "Autres");
    static final double[] OWNER_KIND_WEIGHTS = {0.86, 0.07, 0.02, 0.02, 0.02, 0.01};
    static final List<String> OWNER_ENTITY = List.of(
            "personnes-physiques", "personnes-morales-non-remarquables", "personnes-morales-representant-des-societes",
            "commune", "office-hlm", "etablissements-publics-ou-organismes-assimiles");

    static final List<String> PROPERTY_RIGHTS = List.of(
            "proprietaire-entier", "usufruitier", "nu-proprietaire", "administrateur", "syndic", "associe-sci-ir",
            "autre");

    static final List<String> DPE = List.of("A", "B", "C", "D", "E", "F", "G");
    static final double[] DPE_WEIGHTS = {0.02, 0.04, 0.12, 0.25, 0.25, 0.18, 0.14};

    static final List<String> NOTE_KINDS = List.of("Note courante", "Échange téléphonique", "Visite", "Courrier");

    private Labels() {
    }
}
