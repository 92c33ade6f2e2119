package io.restorepoint.web.security;

import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.EnvelopeErrorHandler;
import io.restorepoint.web.envelope.EnvelopeWriter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JWT resource server with envelope errors, for every RestorePoint HTTP service. Stateless: no
 * session, no CSRF (no cookies are used), no form or basic login.
 */
@AutoConfiguration
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class JwtSecurityAutoConfiguration {

    static final String REALM = "restorepoint";

    @Bean
    EnvelopeWriter envelopeWriter(JsonMapper json) {
        return new EnvelopeWriter(json);
    }

    @Bean
    @Order(-2)
    EnvelopeErrorHandler envelopeErrorHandler(EnvelopeWriter writer) {
        return new EnvelopeErrorHandler(writer);
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(SecurityProperties properties) {
        NimbusReactiveJwtDecoder decoder;
        if (properties.jwkSetUri() != null && !properties.jwkSetUri().isBlank()) {
            decoder = NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
        } else {
            if (properties.jwtSecret() == null || properties.jwtSecret().getBytes(StandardCharsets.UTF_8).length < 32) {
                throw new IllegalStateException("Set restorepoint.security.jwt-secret (env RP_JWT_SECRET, at least 32 bytes) "
                        + "or restorepoint.security.jwk-set-uri");
            }
            decoder = NimbusReactiveJwtDecoder
                    .withSecretKey(new SecretKeySpec(properties.jwtSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(properties.issuer() == null || properties.issuer().isBlank()
                ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(properties.issuer()));
        if (properties.audience() != null && !properties.audience().isBlank()) {
            validators.add(jwt -> jwt.getAudience() != null && jwt.getAudience().contains(properties.audience())
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token is not meant for this audience", null)));
        }
        validators.add(jwt -> jwt.getSubject() != null && !jwt.getSubject().isBlank()
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token has no subject", null)));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    @Bean
    TokenVerifier tokenVerifier(ReactiveJwtDecoder decoder, SecurityProperties properties) {
        return new TokenVerifier(decoder, properties);
    }

    @Bean
    OriginPolicy originPolicy(SecurityProperties properties) {
        return new OriginPolicy(properties);
    }

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, SecurityProperties properties, TokenVerifier tokens,
            OriginPolicy origins, EnvelopeWriter writer) {
        Converter<Jwt, Mono<AbstractAuthenticationToken>> toCaller = jwt -> {
            Caller caller = tokens.caller(jwt);
            JwtAuthenticationToken token = new JwtAuthenticationToken(jwt,
                    caller.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList(), jwt.getSubject());
            token.setDetails(caller);
            return Mono.just(token);
        };
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .cors(cors -> cors.configurationSource(origins.corsSource()))
                .authorizeExchange(exchange -> exchange
                        .pathMatchers(HttpMethod.OPTIONS).permitAll()
                        .pathMatchers(properties.publicPaths().toArray(String[]::new)).permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(toCaller))
                        .authenticationEntryPoint((exchange, ex) -> unauthorized(writer, exchange, ex))
                        .accessDeniedHandler((exchange, ex) -> writer.write(exchange.getResponse(), ApiError.FORBIDDEN, null, Map.of())))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((exchange, ex) -> unauthorized(writer, exchange, ex))
                        .accessDeniedHandler((exchange, ex) -> writer.write(exchange.getResponse(), ApiError.FORBIDDEN, null, Map.of())))
                .build();
    }

    /**
     * Any method reaches routing, which answers in the envelope: 405 for a path that exists (TRACE, or a
     * method no endpoint takes), 404 otherwise. Spring Security's default firewall answered such methods
     * 400 with an empty body. The firewall's other checks (encoded slashes, control characters) stay.
     */
    @Bean
    org.springframework.security.web.server.firewall.ServerWebExchangeFirewall exchangeFirewall() {
        var firewall = new org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall();
        firewall.setUnsafeAllowAnyHttpMethod(true);
        return firewall;
    }

    /** What the firewall still refuses is a 400 in the envelope; the reason is not echoed (it quotes the request). */
    @Bean
    org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler exchangeRejectedHandler(EnvelopeWriter writer) {
        return (exchange, ex) -> writer.write(exchange.getResponse(), ApiError.BAD_REQUEST,
                "The request was refused: its path or headers hold characters the API does not accept", Map.of());
    }

    private static Mono<Void> unauthorized(EnvelopeWriter writer, ServerWebExchange exchange, AuthenticationException ex) {
        boolean tokenSent = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION) != null;
        String challenge = tokenSent
                ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + TokenVerifier.reason(ex) + "\""
                : "Bearer realm=\"" + REALM + "\"";
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return writer.write(exchange.getResponse(), ApiError.PERMISSION_DENIED, null, Map.of());
    }
}
