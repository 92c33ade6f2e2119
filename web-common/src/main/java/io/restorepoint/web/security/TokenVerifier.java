package io.restorepoint.web.security;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The one way a bearer token becomes a {@link Caller}, for every entry point: the HTTP filter chain of
 * {@link JwtSecurityAutoConfiguration} and the Socket.IO endpoint of sync-events. The decoder checks signature,
 * issuer, audience, expiry and subject; this class maps the roles claim and says why a token was refused.
 */
public final class TokenVerifier {

    /** Why a token that was sent is refused: it has expired. */
    public static final String EXPIRED = "The token has expired";
    /** Why a token that was sent is refused: anything but expiry (no detail: it would help a forger). */
    public static final String INVALID = "The token is missing, malformed or not signed by a trusted key";

    private final ReactiveJwtDecoder decoder;
    private final String rolesClaim;

    public TokenVerifier(ReactiveJwtDecoder decoder, SecurityProperties properties) {
        this.decoder = decoder;
        this.rolesClaim = properties.rolesClaim();
    }

    /** The caller a verified token names. */
    public Caller caller(Jwt jwt) {
        return new Caller(jwt.getSubject(), rolesOf(jwt, rolesClaim), jwt);
    }

    /** Decodes and checks {@code token}; a refused token is a {@link Rejected} with {@link #reason(Throwable)}. */
    public Mono<Caller> verify(String token) {
        return decoder.decode(token).map(this::caller)
                .onErrorMap(JwtException.class, e -> new Rejected(reason(e)));
    }

    /** {@link #EXPIRED} or {@link #INVALID}, from the decoder's or the authentication filter's exception. */
    public static String reason(Throwable refusal) {
        String message = refusal.getMessage();
        return message != null && message.contains("expired") ? EXPIRED : INVALID;
    }

    /** The roles claim: a list of names, or one string of names separated by spaces or commas. */
    static List<String> rolesOf(Jwt jwt, String claim) {
        Object value = jwt.getClaims().get(claim);
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value instanceof String s && !s.isBlank()) {
            return List.of(s.split("[ ,]+"));
        }
        return List.of();
    }

    /** A token that was sent and refused; the message is the reason a client may be told. */
    public static final class Rejected extends RuntimeException {
        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }
}
