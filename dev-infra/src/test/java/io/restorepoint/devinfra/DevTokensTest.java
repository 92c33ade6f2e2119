package io.restorepoint.devinfra;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevTokensTest {

    @Test
    void mintsVerifiableHs256TokensWithRoles() throws Exception {
        String secret = DevTokens.randomSecret();
        String token = new DevTokens(secret).mint("alice", List.of("admin"), Duration.ofMinutes(5));
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new MACVerifier(secret.getBytes()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("admin");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(DevTokens.AUDIENCE);
    }

    @Test
    void shortSecretsAreRefused() {
        assertThatThrownBy(() -> new DevTokens("short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unsignedTokensHaveAlgNone() throws Exception {
        String token = DevTokens.unsigned(Map.of("sub", "mallory"));
        assertThat(token).endsWith(".");
        assertThat(com.nimbusds.jwt.JWTParser.parse(token).getHeader().getAlgorithm().getName()).isEqualTo("none");
    }
}
