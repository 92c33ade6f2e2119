package io.restorepoint.web.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * How callers authenticate ({@code restorepoint.security.*}).
 *
 * @param jwtSecret   HS256 shared secret (at least 32 bytes), env {@code RP_JWT_SECRET}; used unless
 *                    {@code jwkSetUri} is set
 * @param jwkSetUri   a JWK set URI of an identity provider (RS256/ES256 tokens) instead of the secret
 * @param issuer      required {@code iss} claim, if set
 * @param audience    required {@code aud} value, if set
 * @param rolesClaim  the claim holding the caller's global roles, a list of strings ({@code admin})
 * @param publicPaths paths served without a token (health, API documents, the console's static files)
 * @param corsOrigins origins allowed to call the API from a browser (none by default)
 */
@ConfigurationProperties("restorepoint.security")
public record SecurityProperties(
        String jwtSecret,
        String jwkSetUri,
        String issuer,
        String audience,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("/actuator/health,/actuator/health/**") List<String> publicPaths,
        @DefaultValue List<String> corsOrigins) {

    @Override
    public String toString() {
        return "SecurityProperties[jwtSecret=" + (jwtSecret == null ? "unset" : "****") + ", jwkSetUri=" + jwkSetUri
                + ", issuer=" + issuer + ", audience=" + audience + ", rolesClaim=" + rolesClaim + "]";
    }
}
