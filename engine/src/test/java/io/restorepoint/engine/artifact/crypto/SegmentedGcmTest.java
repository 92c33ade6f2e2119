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
    /** "RPE1", id length, "k1", salt, key check, nonce prefix. */
    static final int HEADER = 4 + 1 + 2 + 16 + 8 + 7;

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
        assertThat(stored.length).isEqualTo(HEADER + size + segments * 16);
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
    void tamperingTruncationReorderingAndRenamingAreDetectedAsDamageNotAsAWrongKey() throws IOException {
        byte[] plain = random(150_000); // three segments
        byte[] stored = encrypt(RING, plain, "a");
        int sealed = SegmentedGcm.SEGMENT + 16;

        byte[] flipped = stored.clone();
        flipped[flipped.length - 100] ^= 1;
        assertDamaged(flipped, "a", "segment 2");

        assertDamaged(Arrays.copyOf(stored, HEADER + 2 * sealed), "a", "segment 1"); // last segment dropped
        assertDamaged(Arrays.copyOf(stored, HEADER + sealed + 1000), "a", "segment 1"); // cut inside a segment

        byte[] swapped = stored.clone(); // segments 0 and 1 exchanged
        System.arraycopy(stored, HEADER + sealed, swapped, HEADER, sealed);
        System.arraycopy(stored, HEADER, swapped, HEADER + sealed, sealed);
        assertDamaged(swapped, "a", "segment 0");

        assertDamaged(stored, "b", "not the file its name says"); // bound to its path
    }

    void assertDamaged(byte[] stored, String path, String message) {
        assertThatThrownBy(() -> decrypt(RING, stored, path)).isInstanceOf(IOException.class)
                .isNotInstanceOf(ArtifactKeyException.class).hasMessageContaining(message);
    }

    @Test
    void everyFileHasAKeyOfItsOwnSoNoncesNeverRepeatUnderOneKey() throws Exception {
        javax.crypto.SecretKey master = new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(K1), "AES");
        byte[] salt1 = new byte[16];
        byte[] salt2 = new byte[16];
        salt2[0] = 1;
        var a = SegmentedGcm.FileKey.derive(master, salt1, "data/t.00001.sql.zst");
        assertThat(SegmentedGcm.FileKey.derive(master, salt1, "data/t.00001.sql.zst").key().getEncoded())
                .as("deterministic").isEqualTo(a.key().getEncoded());
        assertThat(SegmentedGcm.FileKey.derive(master, salt2, "data/t.00001.sql.zst").key().getEncoded())
                .as("another salt, another key").isNotEqualTo(a.key().getEncoded());
        var otherPath = SegmentedGcm.FileKey.derive(master, salt1, "data/t.00002.sql.zst");
        assertThat(otherPath.key().getEncoded()).as("another path, another key").isNotEqualTo(a.key().getEncoded());
        assertThat(otherPath.check()).as("the key check depends on the key and salt only").isEqualTo(a.check());
        byte[] x = encrypt(RING, new byte[10], "p");
        byte[] y = encrypt(RING, new byte[10], "p");
        assertThat(Arrays.copyOfRange(x, 7, 23)).as("a fresh salt per file").isNotEqualTo(Arrays.copyOfRange(y, 7, 23));
    }
}
