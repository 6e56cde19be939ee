package fr.zlv.entrepot.server.auth;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.Secret;
import java.nio.charset.StandardCharsets;

/** The shared secret of HS256 tokens, checked to be long enough. */
final class Secrets {

    /** HS256 wants a key as long as its hash: 256 bits. */
    static final int MIN_BYTES = 32;
    static final String VARIABLE = "ENTREPOT_JWT_SECRET";

    private Secrets() {
    }

    /** The secret's bytes; an {@link EntrepotException} (bad input) when it is shorter than 256 bits. */
    static byte[] hs256Key(Secret secret) {
        byte[] key = secret.reveal().getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_BYTES) {
            throw EntrepotException.badInput("The JWT secret (serve.jwt_secret, " + VARIABLE + ") is " + key.length
                            + " bytes long; HS256 needs at least " + MIN_BYTES + " bytes (256 bits).",
                    "Set " + VARIABLE + " to a long random string, e.g. the output of `openssl rand -base64 48`.");
        }
        return key;
    }
}
