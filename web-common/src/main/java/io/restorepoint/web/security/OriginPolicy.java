package io.restorepoint.web.security;

import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

import java.util.List;

/**
 * Which browser origins may call RestorePoint ({@code restorepoint.security.cors-origins}, env
 * {@code RP_CORS_ORIGINS}), for the HTTP API (as CORS) and for the Socket.IO handshake alike. With origins set,
 * a request from any other origin is refused by both. With none set, the HTTP API sends no CORS headers (a
 * browser keeps a page of another origin from reading the answer) and Socket.IO, where a browser enforces
 * nothing, takes any origin: neither path takes cookies, so an origin gains nothing without a token.
 */
public final class OriginPolicy {

    private final CorsConfiguration cors;

    public OriginPolicy(SecurityProperties properties) {
        if (properties.corsOrigins().isEmpty()) {
            cors = null;
        } else {
            cors = new CorsConfiguration();
            cors.setAllowedOrigins(properties.corsOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
            cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Last-Event-ID", "Prefer"));
            cors.setExposedHeaders(List.of("Authorization", "WWW-Authenticate", "Content-Disposition"));
            cors.setMaxAge(3600L);
        }
    }

    /** Whether a request with this {@code Origin} header (null: none, not from a browser page) is let in. */
    public boolean allows(String origin) {
        return origin == null || cors == null || cors.checkOrigin(origin) != null;
    }

    /** The CORS configuration of the HTTP filter chain (empty when no origin is configured). */
    UrlBasedCorsConfigurationSource corsSource() {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (cors != null) {
            source.registerCorsConfiguration("/**", cors);
        }
        return source;
    }
}
