package fr.zlv.entrepot.core.settings;

/** Thrown by a record read from YAML when one of its keys has a value out of range. */
public class InvalidSettingException extends IllegalArgumentException {

    private final String key;
    private final String hint;

    /**
     * @param key    the key inside its section, as written in the file (e.g. {@code port})
     * @param reason what the value must be, e.g. "must be between 1 and 65535"
     */
    public InvalidSettingException(String key, String reason) {
        this(key, reason, null);
    }

    public InvalidSettingException(String key, String reason, String hint) {
        super(key + " " + reason);
        this.key = key;
        this.hint = hint;
    }

    public String key() {
        return key;
    }

    /** What to do about it; may be null. */
    public String hint() {
        return hint;
    }
}
