package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A password or token from the settings. Its {@link #toString()} and its JSON form are masked, so a
 * secret never reaches a log line, a printed setting or the run history by accident; code that needs
 * the value calls {@link #reveal()}.
 */
public final class Secret {

    private static final String MASK = "********";
    private final String value;

    private Secret(String value) {
        this.value = value == null ? "" : value;
    }

    @JsonCreator
    public static Secret of(String value) {
        return new Secret(value);
    }

    public static Secret empty() {
        return new Secret("");
    }

    /** The real value, for the one place that must hand it to a driver. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @JsonValue
    @Override
    public String toString() {
        return value.isEmpty() ? "" : MASK;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
