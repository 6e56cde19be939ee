package fr.zlv.entrepot.core.settings;

/** Thrown by a settings record when one of its keys has a value out of range. */
public class InvalidSettingException extends IllegalArgumentException {

    private final String key;

    /**
     * @param key    the key inside its section, as written in the file (e.g. {@code port})
     * @param reason what the value must be, e.g. "must be between 1 and 65535"
     */
    public InvalidSettingException(String key, String reason) {
        super(key + " " + reason);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
