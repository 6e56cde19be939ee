package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The HTTP server of {@code entrepot serve}: where it listens, what it serves, how it checks tokens and limits use. */
public record ServeSettings(
        @JsonPropertyDescription("The address the server listens on (127.0.0.1: this machine only; 0.0.0.0: every"
                + " interface).")
        String host,
        @JsonPropertyDescription("The port (0: any free port, printed at start).")
        Integer port,
        @JsonPropertyDescription("The semantic layer's cubes, measures and dimensions (relative to the settings file).")
        String semantic,
        @JsonPropertyDescription("The roles and what each may see (relative to the settings file).")
        String access,
        @JsonPropertyDescription("The DuckDB file the API reads; empty: the published BI file (publish.bi_path).")
        String database,
        @JsonPropertyDescription("The shared secret of HS256 tokens (ENTREPOT_JWT_SECRET), at least 32 bytes; masked"
                + " wherever settings print. Empty: HS256 tokens are refused.")
        Secret jwtSecret,
        @JsonPropertyDescription("The issuer (iss) every token must name (ENTREPOT_JWT_ISSUER).")
        String jwtIssuer,
        @JsonPropertyDescription("The audience (aud) every token must name (ENTREPOT_JWT_AUDIENCE).")
        String jwtAudience,
        @JsonPropertyDescription("An OIDC provider's JSON Web Key Set URL (ENTREPOT_JWT_JWKS_URL) for RS256 and ES256"
                + " tokens; empty: none.")
        String jwksUrl,
        @JsonPropertyDescription("Requests each subject may make per minute (a token bucket); beyond: 429.")
        Integer rateLimitPerMinute,
        @JsonPropertyDescription("The largest request body accepted, in bytes; beyond: 413.")
        Integer maxBodyBytes,
        @JsonPropertyDescription("How long a GraphQL request may run, in seconds; beyond: 503 (TIMEOUT).")
        Integer queryTimeoutSeconds) {

    public ServeSettings {
        host = blank(host) ? "127.0.0.1" : host.strip();
        port = port == null ? 8080 : port;
        semantic = blank(semantic) ? "semantic.yml" : semantic;
        access = blank(access) ? "access.yml" : access;
        database = blank(database) ? null : database;
        jwtSecret = jwtSecret == null ? Secret.empty() : jwtSecret;
        jwtIssuer = blank(jwtIssuer) ? "entrepot" : jwtIssuer.strip();
        jwtAudience = blank(jwtAudience) ? "entrepot-api" : jwtAudience.strip();
        jwksUrl = blank(jwksUrl) ? null : jwksUrl.strip();
        rateLimitPerMinute = rateLimitPerMinute == null ? 600 : rateLimitPerMinute;
        maxBodyBytes = maxBodyBytes == null ? 65_536 : maxBodyBytes;
        queryTimeoutSeconds = queryTimeoutSeconds == null ? 30 : queryTimeoutSeconds;
        if (port < 0 || port > 65_535) {
            throw new InvalidSettingException("port", "must be between 0 and 65535 (0: any free port)");
        }
        if (jwksUrl != null && !jwksUrl.startsWith("https://") && !jwksUrl.startsWith("http://")) {
            throw new InvalidSettingException("jwks_url", "must be an http:// or https:// URL",
                    "Give the provider's JWKS address, e.g. https://auth.example.org/realms/zlv/protocol/openid-connect/certs.");
        }
        if (rateLimitPerMinute < 1) {
            throw new InvalidSettingException("rate_limit_per_minute", "must be at least 1");
        }
        if (maxBodyBytes < 1_024) {
            throw new InvalidSettingException("max_body_bytes", "must be at least 1024");
        }
        if (queryTimeoutSeconds < 1) {
            throw new InvalidSettingException("query_timeout_seconds", "must be at least 1");
        }
    }

    public static ServeSettings defaults() {
        return new ServeSettings(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The same settings with the file paths given (resolved against the settings file). */
    public ServeSettings withPaths(String newSemantic, String newAccess, String newDatabase) {
        return new ServeSettings(host, port, newSemantic, newAccess, newDatabase, jwtSecret, jwtIssuer, jwtAudience,
                jwksUrl, rateLimitPerMinute, maxBodyBytes, queryTimeoutSeconds);
    }

    /** The same settings listening elsewhere. */
    public ServeSettings withAddress(String newHost, int newPort) {
        return new ServeSettings(newHost, newPort, semantic, access, database, jwtSecret, jwtIssuer, jwtAudience,
                jwksUrl, rateLimitPerMinute, maxBodyBytes, queryTimeoutSeconds);
    }

    /** The same settings with another shared secret. */
    public ServeSettings withJwtSecret(Secret newSecret) {
        return new ServeSettings(host, port, semantic, access, database, newSecret, jwtIssuer, jwtAudience,
                jwksUrl, rateLimitPerMinute, maxBodyBytes, queryTimeoutSeconds);
    }

    /** The same settings with other limits. */
    public ServeSettings withLimits(int newRateLimitPerMinute, int newMaxBodyBytes, int newQueryTimeoutSeconds) {
        return new ServeSettings(host, port, semantic, access, database, jwtSecret, jwtIssuer, jwtAudience,
                jwksUrl, newRateLimitPerMinute, newMaxBodyBytes, newQueryTimeoutSeconds);
    }

    /** The same settings reading keys from another JWKS URL. */
    public ServeSettings withJwksUrl(String newJwksUrl) {
        return new ServeSettings(host, port, semantic, access, database, jwtSecret, jwtIssuer, jwtAudience,
                newJwksUrl, rateLimitPerMinute, maxBodyBytes, queryTimeoutSeconds);
    }
}
