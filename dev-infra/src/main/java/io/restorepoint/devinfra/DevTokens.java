package io.restorepoint.devinfra;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Mints HS256 JWTs with the claims the services read: {@code sub} (the user id), {@code roles}
 * ({@code admin} for the table export/import API), {@code iss} and {@code aud}. For the local stack
 * and tests only; production tokens come from the operator's identity provider.
 */
public final class DevTokens {

    public static final String ISSUER = "restorepoint-dev";
    public static final String AUDIENCE = "restorepoint";

    private final byte[] secret;

    public DevTokens(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        if (this.secret.length < 32) {
            throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes");
        }
    }

    /** A random secret suitable for HS256 (48 random bytes, base64url). */
    public static String randomSecret() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String mint(String subject, List<String> roles, Duration ttl) {
        Instant now = Instant.now();
        return mint(new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .claim("roles", roles)
                .claim("name", subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build());
    }

    public String admin(String subject) {
        return mint(subject, List.of("admin"), Duration.ofHours(12));
    }

    public String user(String subject) {
        return mint(subject, List.of(), Duration.ofHours(1));
    }

    /** Signs arbitrary claims, e.g. an expired token or a wrong issuer for auth tests. */
    public String mint(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}) with the given claims; services must refuse it. */
    public static String unsigned(Map<String, Object> claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        StringBuilder body = new StringBuilder("{");
        claims.forEach((k, v) -> {
            if (body.length() > 1) {
                body.append(',');
            }
            body.append('"').append(k).append("\":");
            body.append(v instanceof Number ? v.toString() : "\"" + v + "\"");
        });
        body.append('}');
        return header + "." + b64.encodeToString(body.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }
}
