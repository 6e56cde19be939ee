package fr.zlv.entrepot.semantic.model;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.YamlDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in one YAML file, each naming the file, the line and the key; reported together, so that one
 * run shows everything to fix.
 */
public final class Problems {

    private static final int MAX_SHOWN = 30;

    private final YamlDocument<?> document;
    private final String kind;
    private final List<String> messages = new ArrayList<>();

    public Problems(YamlDocument<?> document, String kind) {
        this.document = document;
        this.kind = kind;
    }

    /** Records a problem about {@code key} (a dotted path: {@code cubes.housing.measures.count.column}). */
    public void add(String key, String problem, String hint) {
        messages.add(document.file() + document.lineOf(key) + ": " + key + ": " + problem
                + (hint == null || hint.isBlank() ? "" : " (" + hint.trim() + ")"));
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Throws one exception listing every problem, when there is any. */
    public void throwIfAny(String hint) {
        if (messages.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(kind + " error" + (messages.size() == 1 ? "" : "s") + " in "
                + document.file() + " (" + messages.size() + "):");
        messages.stream().limit(MAX_SHOWN).forEach(m -> text.append("\n  ").append(m));
        if (messages.size() > MAX_SHOWN) {
            text.append("\n  ... and ").append(messages.size() - MAX_SHOWN).append(" more");
        }
        throw EntrepotException.badInput(text.toString(), hint);
    }
}
