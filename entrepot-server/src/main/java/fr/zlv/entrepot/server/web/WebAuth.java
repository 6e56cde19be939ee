package fr.zlv.entrepot.server.web;

import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.server.auth.InvalidTokenException;
import fr.zlv.entrepot.server.auth.TokenVerifier;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Set;

/**
 * Who is asking, for the web UI: the same bearer tokens (JWT) as the API. Pages send the token they keep in
 * {@code sessionStorage} as an {@code Authorization} header; the catalog's pages, which the browser loads by itself,
 * send it as the {@value #COOKIE} cookie the UI sets at sign-in (path {@code /catalog}, {@code SameSite=Strict}).
 */
final class WebAuth {

    /** The cookie that carries the token to {@code /catalog/}. */
    static final String COOKIE = "entrepot_token";
    /** The roles that may launch, cancel and re-execute runs and switch schedules. */
    static final Set<String> OPERATING_ROLES = Set.of(WebUi.OPERATOR_ROLE, "admin");

    private final TokenVerifier verifier;

    WebAuth(ServeSettings settings) {
        this.verifier = new TokenVerifier(settings, Duration.ofSeconds(30));
    }

    /** The principal of the request's bearer token; 401 without one or with a refused one. */
    Principal principal(Context ctx) throws WebError {
        return verify(ctx.header("Authorization"));
    }

    /** Like {@link #principal}, the token taken from the header or else from the catalog's cookie. */
    Principal principalOrCookie(Context ctx) throws WebError {
        String header = ctx.header("Authorization");
        String cookie = ctx.cookie(COOKIE);
        if ((header == null || header.isBlank()) && cookie != null && !cookie.isBlank()) {
            return verify("Bearer " + cookie);
        }
        return verify(header);
    }

    private Principal verify(String authorization) throws WebError {
        try {
            return verifier.verify(authorization);
        } catch (InvalidTokenException e) {
            throw new WebError(401, "UNAUTHENTICATED", e.getMessage());
        }
    }

    static boolean mayOperate(Principal principal) {
        return OPERATING_ROLES.contains(principal.role());
    }

    /** 403 unless the principal may launch runs. */
    static void requireOperator(Principal principal) throws WebError {
        if (!mayOperate(principal)) {
            throw WebError.forbidden("Launching runs is for the " + WebUi.OPERATOR_ROLE + " and admin roles; this"
                    + " token's role is " + principal.role() + ".");
        }
    }
}
