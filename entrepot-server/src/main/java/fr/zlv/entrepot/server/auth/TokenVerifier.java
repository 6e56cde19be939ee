package fr.zlv.entrepot.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.semantic.api.Principal;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks bearer tokens (JWT) and turns them into a {@link Principal}. HS256 tokens are checked with the shared
 * secret; RS256 and ES256 tokens with the keys of an OIDC provider's JWKS URL (fetched, cached, and fetched again when
 * a token names a key id the cache does not hold, so a key rotation is picked up). Each algorithm only ever meets its
 * own kind of key: an HS256 token "signed" with the provider's public key (algorithm confusion) meets the shared
 * secret and fails, and unsigned tokens ({@code alg: none}) or other algorithms are refused. Issuer, audience,
 * expiry and not-before are checked, with a small clock skew; {@code sub}, {@code role} and {@code exp} are required.
 */
public final class TokenVerifier {

    /** How far clocks may disagree. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Set<JWSAlgorithm> PROVIDER_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    /** Tokens already verified, with their expiry: a client sends the same token many times. */
    private record Verified(Principal principal, Instant expires) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();
    private final String issuer;
    private final String audience;
    private final boolean acceptsShared;
    private final boolean acceptsProvider;

    /**
     * @param settings              the issuer, audience, shared secret (may be empty) and JWKS URL (may be null)
     * @param jwksMinRefreshInterval the shortest time between two fetches of the key set (protects the provider from
     *                              a flood of tokens naming unknown keys)
     * @throws EntrepotException when the secret is too short, or neither a secret nor a JWKS URL is given
     */
    public TokenVerifier(ServeSettings settings, Duration jwksMinRefreshInterval) {
        issuer = settings.jwtIssuer();
        audience = settings.jwtAudience();
        JWSKeySelector<SecurityContext> shared = null;
        if (!settings.jwtSecret().isEmpty()) {
            shared = new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                    new ImmutableSecret<>(Secrets.hs256Key(settings.jwtSecret())));
        }
        JWSKeySelector<SecurityContext> provider = null;
        if (settings.jwksUrl() != null) {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(url(settings.jwksUrl()),
                            new DefaultResourceRetriever(5_000, 5_000, 512 * 1024))
                    .cache(Duration.ofMinutes(15).toMillis(), Duration.ofSeconds(15).toMillis())
                    .rateLimited(jwksMinRefreshInterval.toMillis())
                    .retrying(true)
                    .build();
            provider = new JWSVerificationKeySelector<>(PROVIDER_ALGORITHMS, keys);
        }
        if (shared == null && provider == null) {
            throw noKeys();
        }
        acceptsShared = shared != null;
        acceptsProvider = provider != null;
        JWSKeySelector<SecurityContext> sharedKeys = shared;
        JWSKeySelector<SecurityContext> providerKeys = provider;
        // Each algorithm goes to its own keys only.
        processor.setJWSKeySelector((header, context) -> {
            JWSAlgorithm algorithm = header.getAlgorithm();
            if (JWSAlgorithm.HS256.equals(algorithm) && sharedKeys != null) {
                return sharedKeys.selectJWSKeys(header, context);
            }
            if (PROVIDER_ALGORITHMS.contains(algorithm) && providerKeys != null) {
                return providerKeys.selectJWSKeys(header, context);
            }
            return List.<Key>of();
        });
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(settings.jwtAudience(),
                new JWTClaimsSet.Builder().issuer(settings.jwtIssuer()).build(),
                Set.of("sub", "exp", Claims.ROLE));
        claims.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * Checks the token settings without building anything: a secret of at least 256 bits when one is set, and a secret
     * or a JWKS URL. {@code entrepot serve} calls it before it opens the data.
     *
     * @throws EntrepotException (bad input) naming the setting and its variable
     */
    public static void checkSettings(ServeSettings settings) {
        if (!settings.jwtSecret().isEmpty()) {
            Secrets.hs256Key(settings.jwtSecret());
        }
        if (settings.jwtSecret().isEmpty() && settings.jwksUrl() == null) {
            throw noKeys();
        }
        if (settings.jwksUrl() != null) {
            url(settings.jwksUrl());
        }
    }

    private static EntrepotException noKeys() {
        return EntrepotException.badInput("No way to check tokens: neither a JWT secret nor a JWKS URL is set.",
                "Set " + Secrets.VARIABLE + " (HS256, at least 32 bytes) or ENTREPOT_JWT_JWKS_URL (an OIDC"
                        + " provider's keys).");
    }

    private static URL url(String jwksUrl) {
        try {
            return URI.create(jwksUrl).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw EntrepotException.badInput("The JWKS URL " + jwksUrl + " is not a URL: " + e.getMessage(),
                    "Fix ENTREPOT_JWT_JWKS_URL (serve.jwks_url).");
        }
    }

    /**
     * The principal of an {@code Authorization} header's value.
     *
     * @throws InvalidTokenException with a message for the caller when the header is missing or the token is refused
     */
    public Principal verify(String authorization) throws InvalidTokenException {
        if (authorization == null || authorization.isBlank()) {
            throw InvalidTokenException.missing("A bearer token is required: send the header"
                    + " 'Authorization: Bearer <token>'.");
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw InvalidTokenException.invalid("The Authorization header must be 'Bearer <token>'.");
        }
        String token = value.substring(7).strip();
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            // The signature and claims were checked; only time can have made the token invalid since.
            if (Instant.now().isAfter(known.expires().plus(CLOCK_SKEW))) {
                verified.invalidate(token);
                throw InvalidTokenException.invalid("The token has expired.");
            }
            return known.principal();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw InvalidTokenException.invalid("The token is not a JWT: " + e.getMessage());
        } catch (ExpiredJWTException e) {
            throw InvalidTokenException.invalid("The token has expired.");
        } catch (BadJWTException e) {
            throw InvalidTokenException.invalid(claimsMessage(e.getMessage()));
        } catch (BadJOSEException e) {
            throw InvalidTokenException.invalid(signatureMessage(token, e));
        } catch (JOSEException e) {
            throw InvalidTokenException.invalid("The token could not be checked: " + e.getMessage());
        }
        Principal principal = principal(claims);
        verified.put(token, new Verified(principal, claims.getExpirationTime().toInstant()));
        return principal;
    }

    /** Nimbus' reason, said for the caller. */
    private String claimsMessage(String reason) {
        String text = reason == null ? "" : reason;
        if (text.contains("missing required claims")) {
            return "The token lacks required claims: " + text.substring(text.indexOf("claims") + 7).strip()
                    + " (sub, role and exp are required).";
        }
        if (text.contains("aud claim")) {
            return "The token is not meant for this API: its audience (aud) must be " + audience + ".";
        }
        if (text.contains("iss claim")) {
            return "The token's issuer (iss) must be " + issuer + ".";
        }
        if (text.contains("before use time")) {
            return "The token is not valid yet (nbf: before use time).";
        }
        return "The token was refused: " + text + ".";
    }

    private String signatureMessage(String token, BadJOSEException e) {
        String algorithm = algorithmOf(token);
        if (algorithm.equals("none")) {
            return "Unsigned tokens (alg: none) are refused.";
        }
        boolean known = JWSAlgorithm.HS256.getName().equals(algorithm) && acceptsShared
                || PROVIDER_ALGORITHMS.stream().anyMatch(a -> a.getName().equals(algorithm)) && acceptsProvider;
        if (!known) {
            return "Tokens signed with " + algorithm + " are not accepted here (accepted: " + accepted() + ").";
        }
        return "The token's signature is not valid (" + e.getMessage() + ").";
    }

    private String accepted() {
        List<String> names = new ArrayList<>();
        if (acceptsShared) {
            names.add("HS256");
        }
        if (acceptsProvider) {
            names.add("RS256, ES256");
        }
        return String.join(", ", names);
    }

    private static String algorithmOf(String token) {
        try {
            return com.nimbusds.jwt.JWTParser.parse(token).getHeader().getAlgorithm().getName();
        } catch (ParseException | RuntimeException e) {
            return "?";
        }
    }

    private static Principal principal(JWTClaimsSet claims) throws InvalidTokenException {
        String role;
        try {
            role = claims.getStringClaim(Claims.ROLE);
        } catch (ParseException e) {
            throw InvalidTokenException.invalid("The token's role claim must be a string.");
        }
        if (role == null || role.isBlank()) {
            throw InvalidTokenException.invalid("The token has no role claim.");
        }
        Map<String, List<String>> territories = new LinkedHashMap<>();
        for (String level : Claims.TERRITORY_LEVELS) {
            Object value = claims.getClaim(level);
            if (value == null) {
                continue;
            }
            List<String> codes = new ArrayList<>();
            if (value instanceof String code) {
                codes.add(code);
            } else if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                list.forEach(code -> codes.add((String) code));
            } else {
                throw InvalidTokenException.invalid("The token's " + level + " claim must be a code or a list of"
                        + " codes (strings).");
            }
            territories.put(level, List.copyOf(codes));
        }
        return new Principal(claims.getSubject(), role, territories);
    }
}
