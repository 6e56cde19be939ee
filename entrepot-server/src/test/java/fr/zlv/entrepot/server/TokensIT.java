package fr.zlv.entrepot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens over real HTTP: HS256 with the shared secret, RS256 and ES256 with the keys of a JWKS endpoint served
 * on loopback; every way a token can be wrong answers 401 with a JSON error and a WWW-Authenticate challenge.
 */
class TokensIT {

    @TempDir
    Path directory;

    private JwksServer jwks;
    private RunStore store;
    private EntrepotServer server;
    private RSAKey rsa;
    private ECKey ec;

    @BeforeEach
    void start() {
        jwks = new JwksServer();
        rsa = Tokens.rsaKey("rsa-1");
        ec = Tokens.ecKey("ec-1");
        jwks.publish(List.of(rsa, ec));
        store = RunStores.open(directory.resolve("runs.sqlite").toString());
        ServeSettings settings = ServeSettings.defaults().withAddress("127.0.0.1", 0)
                .withJwtSecret(Secret.of(Tokens.SECRET)).withJwksUrl(jwks.url().toString());
        // No pause between two fetches of the key set, so a rotation is picked up by the very next token.
        server = EntrepotServer.start(settings, new NoSemantic(), store,
                EntrepotServer.Options.defaults().withJwksMinRefreshInterval(Duration.ZERO));
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
        jwks.close();
    }

    private URI audit() {
        return server.url().resolve("/api/audit");
    }

    private void assertRefused(Http.Answer answer, String messagePart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(answer.message()).contains(messagePart);
        assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer realm=\"entrepot\", error=\"invalid_token\"");
        assertThat(answer.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void aSharedSecretTokenIsAccepted() {
        Http.Answer answer = Http.get(audit(), Tokens.hs256(Tokens.claims("ops", "admin")));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("records").isArray()).isTrue();
    }

    @Test
    void rs256AndEs256TokensOfTheProviderAreAccepted() {
        assertThat(Http.get(audit(), Tokens.rs256(Tokens.claims("alice", "admin"), rsa)).status()).isEqualTo(200);
        assertThat(Http.get(audit(), Tokens.es256(Tokens.claims("bob", "admin"), ec)).status()).isEqualTo(200);
    }

    @Test
    void aMissingTokenIsAskedFor() {
        Http.Answer answer = Http.get(audit(), null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(answer.message()).contains("Authorization: Bearer");
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"entrepot\"");
    }

    @Test
    void aForgedSignatureIsRefused() {
        assertRefused(Http.get(audit(), Tokens.hs256(Tokens.claims("ops", "admin"),
                "another-secret-that-is-also-long-enough-to-sign")), "signature is not valid");
        // An RS256 token signed by a key of the same id that the provider never published.
        assertRefused(Http.get(audit(), Tokens.rs256(Tokens.claims("ops", "admin"), Tokens.rsaKey("rsa-1"))),
                "signature is not valid");
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String token = Tokens.hs256(Tokens.claims("analyst-1", "analyst"));
        String[] parts = token.split("\\.");
        String promoted = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                Tokens.claims("analyst-1", "admin").build().toString().getBytes(StandardCharsets.UTF_8));

        assertRefused(Http.get(audit(), parts[0] + "." + promoted + "." + parts[2]), "signature is not valid");
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        assertRefused(Http.get(audit(), Tokens.hs256(Tokens.claims("ops", "admin").issueTime(Date.from(past))
                .notBeforeTime(Date.from(past)).expirationTime(Date.from(past.plus(Duration.ofHours(1)))))), "expired");
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        Instant later = Instant.now().plus(Duration.ofHours(1));
        assertRefused(Http.get(audit(), Tokens.hs256(Tokens.claims("ops", "admin").notBeforeTime(Date.from(later))
                .expirationTime(Date.from(later.plus(Duration.ofHours(1)))))), "before use time");
    }

    @Test
    void aTokenForAnotherAudienceOrFromAnotherIssuerIsRefused() {
        assertRefused(Http.get(audit(), Tokens.hs256(Tokens.claims("ops", "admin").audience("another-api"))),
                "audience");
        assertRefused(Http.get(audit(), Tokens.hs256(Tokens.claims("ops", "admin").issuer("someone-else"))),
                "iss");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        assertRefused(Http.get(audit(), Tokens.unsigned(Tokens.claims("ops", "admin"))), "alg: none");
    }

    @Test
    void anHs256TokenSignedWithTheProvidersPublicKeyIsRefused() throws Exception {
        // Algorithm confusion: the attacker knows the provider's public key and uses its bytes as an HMAC secret.
        byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(publicKey)
                + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : List.of(publicKey, pem.getBytes(StandardCharsets.US_ASCII))) {
            String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                    Tokens.claims("ops", "admin"), new MACSigner(secret));
            assertRefused(Http.get(audit(), token), "signature is not valid");
        }
    }

    @Test
    void anAlgorithmNotAcceptedIsRefused() throws Exception {
        String hs512 = Tokens.sign(new JWSHeader(JWSAlgorithm.HS512), Tokens.claims("ops", "admin"),
                new MACSigner((Tokens.SECRET + Tokens.SECRET).getBytes(StandardCharsets.UTF_8)));

        assertRefused(Http.get(audit(), hs512), "HS512 are not accepted");
    }

    @Test
    void somethingThatIsNotATokenIsRefused() {
        assertRefused(Http.get(audit(), "not-a-jwt"), "not a JWT");
    }

    @Test
    void aTokenWithoutRoleIsRefused() {
        String token = Tokens.hs256(new com.nimbusds.jwt.JWTClaimsSet.Builder(Tokens.claims("ops", "x").build())
                .claim("role", null));

        assertRefused(Http.get(audit(), token), "role");
    }

    @Test
    void aRotatedProviderKeyIsPickedUp() {
        assertThat(Http.get(audit(), Tokens.rs256(Tokens.claims("alice", "admin"), rsa)).status()).isEqualTo(200);
        int fetches = jwks.fetches();

        RSAKey rotated = Tokens.rsaKey("rsa-2");
        jwks.publish(List.of(rotated, ec));

        assertThat(Http.get(audit(), Tokens.rs256(Tokens.claims("alice", "admin"), rotated)).status()).isEqualTo(200);
        assertThat(jwks.fetches()).isGreaterThan(fetches);
        // Known keys come from the cache: no fetch for them.
        int afterRotation = jwks.fetches();
        assertThat(Http.get(audit(), Tokens.rs256(Tokens.claims("alice", "admin"), rotated)).status()).isEqualTo(200);
        assertThat(Http.get(audit(), Tokens.es256(Tokens.claims("bob", "admin"), ec)).status()).isEqualTo(200);
        assertThat(jwks.fetches()).isEqualTo(afterRotation);
    }

    @Test
    void aRoleOtherThanAdminMayNotReadTheAuditLog() {
        Http.Answer answer = Http.get(audit(), Tokens.hs256(Tokens.claims("analyst-1", "analyst")));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.code()).isEqualTo("FORBIDDEN");
        assertThat(answer.message()).contains("admin");
    }
}
