package io.restorepoint.gateway.config;

import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.envelope.Envelope;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * The console's one-click sign-in on the local stack: {@code GET /dev/sign-in} hands out the admin token
 * the launcher printed. Off (404) unless {@code RP_DEV_SIGN_IN_TOKEN} is set, which only
 * {@code ./run-local.sh} does; never set it on a shared deployment.
 */
@RestController
@Hidden
public class DevSignInController {

    private final GatewayProperties properties;

    public DevSignInController(GatewayProperties properties) {
        this.properties = properties;
    }

    @GetMapping(path = "/dev/sign-in", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> token() {
        String token = properties.devSignInToken();
        if (token == null || token.isBlank()) {
            return Mono.error(ApiException.notFound("Not found"));
        }
        return Mono.just(Envelope.ok(Map.of("token", token)));
    }
}
