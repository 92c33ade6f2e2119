package io.restorepoint.engine.artifact.crypto;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentedGcmTest {

    static final String K1 = key(1);
    static final String K2 = key(2);
    static final Keyring RING = Keyring.of("k1", Map.of("k1", K1));

    static String key(int seed) {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] encrypt(Keyring keys, byte[] plain, String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = keys.encrypting(out, path)) {
            enc.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] decrypt(Keyring keys, byte[] stored, String path) throws IOException {
        try (InputStream in = keys.decrypting(new ByteArrayInputStream(stored), path)) {
            return in.readAllBytes();
        }
    }

    static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 131_072, 300_001})
    void roundTripsAnySizeIncludingSegmentBoundaries(int size) throws IOException {
        byte[] plain = random(size);
        byte[] stored = encrypt(RING, plain, "data/t.00001.sql.zst");
        int segments = Math.max(1, (size + SegmentedGcm.SEGMENT - 1) / SegmentedGcm.SEGMENT);
        assertThat(stored.length).isEqualTo(4 + 1 + 2 + 7 + size + segments * 16);
        assertThat(decrypt(RING, stored, "data/t.00001.sql.zst")).isEqualTo(plain);
    }

    @Test
    void storedBytesHideThePlaintext() throws IOException {
        byte[] plain = "CREATE TABLE `usuarios` (`id` int)".repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[] stored = encrypt(RING, plain, "schema/usuarios.sql");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("CREATE TABLE").startsWith("RPE1");
        assertThat(encrypt(RING, plain, "schema/usuarios.sql")).as("a fresh nonce per file").isNotEqualTo(stored);
    }

    @Test
    void aFileInTheClearReadsAsItIs() throws IOException {
        byte[] plain = "CREATE TABLE t (id int)".getBytes(StandardCharsets.UTF_8);
        assertThat(decrypt(RING, plain, "schema/t.sql")).isEqualTo(plain);
        assertThat(decrypt(Keyring.none(), encrypt(Keyring.none(), plain, "x"), "x")).isEqualTo(plain);
    }

    @Test
    void theWrongKeyUnderTheSameIdIsRefusedOnTheFirstSegment() throws IOException {
        byte[] stored = encrypt(RING, random(200_000), "data/t.00001.sql.zst");
        Keyring impostor = Keyring.of("k1", Map.of("k1", K2));
        assertThatThrownBy(() -> decrypt(impostor, stored, "data/t.00001.sql.zst"))
                .isInstanceOf(ArtifactKeyException.class).hasMessageContaining("'k1'");
    }

    @Test
    void aMissingKeyIsRefusedByName() throws IOException {
        byte[] stored = encrypt(RING, random(10), "f");
        assertThatThrownBy(() -> decrypt(Keyring.of("k2", Map.of("k2", K2)), stored, "f"))
                .isInstanceOf(ArtifactKeyException.class).hasMessageContaining("key 'k1', which is not configured");
        assertThatThrownBy(() -> decrypt(Keyring.none(), stored, "f")).isInstanceOf(ArtifactKeyException.class);
    }

    @Test
    void afterARotationOldFilesStillReadWithTheOldKeyAndNewOnesUseTheNewKey() throws IOException {
        byte[] old = encrypt(RING, random(70_000), "f");
        Keyring rotated = Keyring.of("k2", Map.of("k1", K1, "k2", K2));
        assertThat(decrypt(rotated, old, "f")).isEqualTo(random(70_000));
        byte[] fresh = encrypt(rotated, random(5), "f");
        assertThat(new String(fresh, 5, 2, StandardCharsets.UTF_8)).isEqualTo("k2");
        assertThatThrownBy(() -> decrypt(RING, fresh, "f")).isInstanceOf(ArtifactKeyException.class);
    }

    @Test
    void tamperingTruncationAndRenamingAreDetected() throws IOException {
        byte[] plain = random(150_000); // three segments
        byte[] stored = encrypt(RING, plain, "a");

        byte[] flipped = stored.clone();
        flipped[flipped.length - 100] ^= 1;
        assertThatThrownBy(() -> decrypt(RING, flipped, "a")).isInstanceOf(IOException.class)
                .hasMessageContaining("segment 2");

        int header = 4 + 1 + 2 + 7;
        byte[] lastSegmentDropped = Arrays.copyOf(stored, header + 2 * (SegmentedGcm.SEGMENT + 16));
        assertThatThrownBy(() -> decrypt(RING, lastSegmentDropped, "a")).isInstanceOf(IOException.class);

        assertThatThrownBy(() -> decrypt(RING, stored, "b")).as("bound to its path").isInstanceOf(ArtifactKeyException.class);
    }

    @Test
    void badKeyConfigurationFailsAtStartWithoutEchoingTheKey() {
        assertThatThrownBy(() -> Keyring.of("k1", Map.of("k1", "c2hvcnQ="))).hasMessageContaining("32 bytes")
                .hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> Keyring.of("k9", Map.of("k1", K1))).hasMessageContaining("'k9' is not configured");
        assertThatThrownBy(() -> Keyring.of("bad id", Map.of("bad id", K1))).hasMessageContaining("key id");
        assertThat(Keyring.of("k1", Map.of("k1", K1)).toString()).doesNotContain(K1);
    }
}
