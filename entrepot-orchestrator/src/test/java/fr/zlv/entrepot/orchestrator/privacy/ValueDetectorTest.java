package fr.zlv.entrepot.orchestrator.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.orchestrator.privacy.ValueDetector.Kind;
import org.junit.jupiter.api.Test;

/** What one value looks like to the privacy check. */
class ValueDetectorTest {

    private final ValueDetector detector = ValueDetector.withBuiltInNames();

    @Test
    void knowsAboutTwoHundredFirstNames() {
        assertThat(detector.firstNameCount()).isBetween(180, 260);
    }

    @Test
    void emailAddressesAlsoInsideText() {
        assertThat(detector.detect("jean.dupont@example.fr")).isEqualTo(Kind.EMAIL);
        assertThat(detector.detect("  Contact: m.durand+zlv@mairie-lyon.gouv.fr (mairie)")).isEqualTo(Kind.EMAIL);
        assertThat(detector.detect("@handle")).isNull();
        assertThat(detector.detect("a@b")).isNull();
    }

    @Test
    void frenchPhoneNumbersInTheirUsualSpellings() {
        assertThat(detector.detect("06 12 34 56 78")).isEqualTo(Kind.PHONE);
        assertThat(detector.detect("0612345678")).isEqualTo(Kind.PHONE);
        assertThat(detector.detect("01.23.45.67.89")).isEqualTo(Kind.PHONE);
        assertThat(detector.detect("+33 6 12 34 56 78")).isEqualTo(Kind.PHONE);
        assertThat(detector.detect("+33612345678")).isEqualTo(Kind.PHONE);
        assertThat(detector.detect("0033 (0)1 23 45 67 89")).isEqualTo(Kind.PHONE);
        assertThat(detector.detect("rappeler au 07-98-76-54-32 le matin")).isEqualTo(Kind.PHONE);
    }

    @Test
    void codesAndIdsAreNoPhoneNumbers() {
        assertThat(detector.detect("750560000001")).isNull(); // a local id: 12 digits
        assertThat(detector.detect("00612345678")).isNull();
        assertThat(detector.detect("75056")).isNull();
        assertThat(detector.detect("2023-06-12")).isNull();
        assertThat(detector.detect("0012345678")).isNull(); // 0 then 0: no such number
    }

    @Test
    void namesWithAFrequentFirstName() {
        assertThat(detector.detect("Jean Dupont")).isEqualTo(Kind.NAME);
        assertThat(detector.detect("DUPONT HÉLÈNE")).isEqualTo(Kind.NAME);
        assertThat(detector.detect("Durand Jean-Pierre")).isEqualTo(Kind.NAME);
        assertThat(detector.detect("marie")).isEqualTo(Kind.NAME);
    }

    @Test
    void placesLabelsAndSentencesAreNoNames() {
        assertThat(detector.detect("Saint-Pierre")).isNull();
        assertThat(detector.detect("SAINT JEAN DE LUZ")).isNull();
        assertThat(detector.detect("Rue Victor Hugo")).isNull();
        assertThat(detector.detect("12 avenue Jean Jaurès")).isNull();
        assertThat(detector.detect("Métropole de Lyon")).isNull();
        assertThat(detector.detect("Suivi en cours")).isNull();
        assertThat(detector.detect("Le propriétaire Jean a dit qu'il vendrait bientôt")).isNull();
    }

    @Test
    void pseudonymsAreNeverPersonal() {
        // A 64-hex HMAC can hold ten digits in a row, or look like nothing at all: it is never flagged.
        assertThat(detector.detect("a0612345678b" + "0".repeat(52))).isNull();
        assertThat(detector.detect("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")).isNull();
        assertThat(detector.detect("0612345678" + "f".repeat(54))).isNull();
    }
}
