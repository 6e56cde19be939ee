package fr.zlv.entrepot.orchestrator.run;

/** A check's verdict: passed or not, blocking or not, and what it saw, in a sentence. */
public record CheckOutcome(String check, boolean passed, boolean blocking, String message) {
}
