package fr.zlv.entrepot.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ServeSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Signs HS256 tokens with the shared secret, for service accounts and the demo ({@code entrepot token issue}). */
public final class TokenIssuer {

    private static final Pattern TTL = Pattern.compile("([0-9]+)\\s*([smhd])");

    private final ServeSettings settings;
    private final MACSigner signer;

    /** @throws EntrepotException when no secret is set or it is shorter than 256 bits */
    public TokenIssuer(ServeSettings settings) {
        if (settings.jwtSecret().isEmpty()) {
            throw EntrepotException.badInput("No JWT secret to sign tokens with.",
                    "Set " + Secrets.VARIABLE + " (serve.jwt_secret) to a long random string, e.g. the output of"
                            + " `openssl rand -base64 48`; the server must have the same.");
        }
        this.settings = settings;
        try {
            this.signer = new MACSigner(Secrets.hs256Key(settings.jwtSecret()));
        } catch (JOSEException e) {
            throw EntrepotException.badInput("The JWT secret cannot sign HS256 tokens: " + e.getMessage(),
                    "Set " + Secrets.VARIABLE + " to a longer random string.");
        }
    }

    /** What a token says about its holder. */
    public record Grant(String subject, String role, Map<String, List<String>> territories, Duration ttl) {
        public Grant {
            territories = territories == null ? Map.of() : Map.copyOf(territories);
            if (subject == null || subject.isBlank()) {
                throw new IllegalArgumentException("a token needs a subject");
            }
            if (role == null || role.isBlank()) {
                throw new IllegalArgumentException("a token needs a role");
            }
            for (String level : territories.keySet()) {
                if (!Claims.TERRITORY_LEVELS.contains(level)) {
                    throw new IllegalArgumentException("unknown territory level '" + level + "' (expected one of "
                            + Claims.TERRITORY_LEVELS + ")");
                }
            }
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("a token's lifetime must be positive");
            }
        }
    }

    /** A token issued now. */
    public Issued issue(Grant grant) {
        return issue(grant, Instant.now());
    }

    /** The token and when it expires. */
    public record Issued(String token, Instant issuedAt, Instant expiresAt, String id) {
    }

    Issued issue(Grant grant, Instant now) {
        Instant issued = Instant.ofEpochSecond(now.getEpochSecond());
        Instant expires = issued.plus(grant.ttl());
        String id = UUID.randomUUID().toString();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(settings.jwtIssuer())
                .audience(settings.jwtAudience())
                .subject(grant.subject())
                .issueTime(Date.from(issued))
                .notBeforeTime(Date.from(issued))
                .expirationTime(Date.from(expires))
                .jwtID(id)
                .claim(Claims.ROLE, grant.role());
        grant.territories().forEach((level, codes) ->
                claims.claim(level, codes.size() == 1 ? codes.get(0) : List.copyOf(codes)));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw EntrepotException.failed("Could not sign the token: " + e.getMessage(), null, e);
        }
        return new Issued(jwt.serialize(), issued, expires, id);
    }

    /**
     * A lifetime written as a number and a unit: {@code 90s}, {@code 15m}, {@code 12h}, {@code 30d}, or ISO-8601
     * ({@code PT12H}).
     */
    public static Duration parseTtl(String text) {
        String value = text.strip();
        Matcher matcher = TTL.matcher(value);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (RuntimeException e) {
            throw EntrepotException.badInput("'" + text + "' is not a lifetime.",
                    "Write a number and a unit: 90s, 15m, 12h, 30d (or ISO-8601, PT12H).");
        }
    }
}
