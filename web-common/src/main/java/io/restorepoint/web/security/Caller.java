package io.restorepoint.web.security;

import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The authenticated caller: the JWT subject is the user id; the roles claim holds global roles.
 * {@code admin} may use the table export/import API and every project.
 */
public record Caller(String userId, List<String> roles, Jwt token) {

    public static final String ADMIN = "admin";

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    /** The caller of the current request. */
    public static Mono<Caller> current() {
        return ReactiveSecurityContextHolder.getContext()
                .map(context -> context.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(auth -> (Caller) ((JwtAuthenticationToken) auth).getDetails());
    }

    /** The caller of the current request if an admin; else a 403 in the envelope saying {@code forbidden}. */
    public static Mono<Caller> currentAdmin(String forbidden) {
        return current().filter(Caller::isAdmin)
                .switchIfEmpty(Mono.error(() -> new ApiException(ApiError.FORBIDDEN, forbidden)));
    }
}
