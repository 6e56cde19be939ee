package fr.zlv.entrepot.server.auth;

import java.util.List;

/** The claims Entrepôt reads from a token besides the registered ones ({@code iss, sub, aud, exp, nbf, iat}). */
public final class Claims {

    /** The role, one of {@code warehouse/access.yml}. */
    public static final String ROLE = "role";
    /** Territory claims, each a code or a list of codes (INSEE codes; SIREN for EPCI). */
    public static final List<String> TERRITORY_LEVELS = List.of("region", "departement", "epci", "commune");

    private Claims() {
    }
}
