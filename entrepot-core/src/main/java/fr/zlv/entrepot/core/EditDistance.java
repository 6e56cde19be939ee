package fr.zlv.entrepot.core;

import java.util.Collection;
import java.util.Optional;

/** How far apart two names are, to suggest the one a user meant (a moved key, a renamed column). */
public final class EditDistance {

    private EditDistance() {
    }

    /** Levenshtein distance: how many single-character edits turn {@code a} into {@code b}. */
    public static int between(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * The candidate closest to {@code name}, if it is close enough to be a likely typo: at most a third of the
     * name's length away (and at least one edit).
     */
    public static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = between(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(1, name.length() / 3) ? Optional.of(best) : Optional.empty();
    }
}
