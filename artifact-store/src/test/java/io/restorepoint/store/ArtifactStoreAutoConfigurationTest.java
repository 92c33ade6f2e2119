package io.restorepoint.store;

import io.restorepoint.engine.artifact.crypto.Keyring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keyring of {@code restorepoint.store.encryption.*}: configured keys and a key file, merged. */
class ArtifactStoreAutoConfigurationTest {

    @TempDir
    Path dir;

    static String key(int seed) {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void keyFileLinesAreMergedWithConfiguredKeys() throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, """
                # rotated keys, newest last

                2026-11 = %s
                   # indented comment
                2027-01=%s
                """.formatted(key(2), key(3)));
        Keyring keyring = ArtifactStoreAutoConfiguration.keyring(
                new StoreProperties.Encryption("2027-01", Map.of("2026-05", key(1)), file));

        assertThat(keyring.encrypts()).isTrue();
        assertThat(keyring.currentId()).contains("2027-01");
        assertThat(keyring.has("2026-05")).as("from keys").isTrue();
        assertThat(keyring.has("2026-11")).as("from the key file").isTrue();
        assertThat(keyring.has("2027-01")).as("from the key file").isTrue();
        assertThat(keyring.toString()).doesNotContain(key(1), key(2), key(3));
    }

    @Test
    void noKeyIdMeansNoEncryption() {
        Keyring keyring = ArtifactStoreAutoConfiguration.keyring(new StoreProperties.Encryption(" ", Map.of("old", key(1)), null));
        assertThat(keyring.encrypts()).isFalse();
        assertThat(keyring.has("old")).as("older artifacts still decrypt").isTrue();
        assertThat(ArtifactStoreAutoConfiguration.keyring(new StoreProperties.Encryption(null, null, null)).encrypts()).isFalse();
    }

    @Test
    void aBadLineIsRejectedWithoutShowingKeyMaterial() throws Exception {
        Path file = dir.resolve("keys");
        // a key pasted without its id splits at its base64 padding; whether or not the part before '=' looks
        // like an id (no '+' or '/'), neither it nor the key may reach the message (it is logged at start-up)
        for (int seed = 0; seed < 64; seed++) {
            String material = key(seed);
            Files.writeString(file, "k1=" + key(100) + "\n" + material + "\n");
            assertThatThrownBy(() -> ArtifactStoreAutoConfiguration.keyring(new StoreProperties.Encryption("k1", null, file)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line 2")
                    .hasMessageNotContaining(material.substring(0, 12))
                    .hasMessageNotContaining(material.substring(20, 32))
                    .hasMessageNotContaining(key(100).substring(0, 12));
        }
        String material = key(4);
        Files.writeString(file, "k1 " + material + "\n"); // no = at all (a key without padding)
        assertThatThrownBy(() -> ArtifactStoreAutoConfiguration.keyring(new StoreProperties.Encryption("k1", null, file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1")
                .hasMessageNotContaining(material.substring(0, 20));
    }

    @Test
    void aKeyOfTheWrongSizeIsRejectedWithoutShowingIt() throws Exception {
        Path file = dir.resolve("keys");
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        Files.writeString(file, "k1=" + shortKey + "\n");
        assertThatThrownBy(() -> ArtifactStoreAutoConfiguration.keyring(new StoreProperties.Encryption("k1", null, file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1").hasMessageContaining("32 random bytes")
                .hasMessageNotContaining(shortKey);
    }

    @Test
    void theCurrentKeyMustBeConfigured() {
        assertThatThrownBy(() -> ArtifactStoreAutoConfiguration.keyring(
                new StoreProperties.Encryption("missing", Map.of("k1", key(1)), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'missing'")
                .hasMessageNotContaining(key(1));
    }

    /** The services' application.yml passes every setting, unset ones as empty strings: they mean "not set". */
    static final String[] AS_THE_SERVICES_BIND_THEM = {"restorepoint.store.s3.bucket=", "restorepoint.store.s3.prefix=",
            "restorepoint.store.s3.endpoint=", "restorepoint.store.s3.access-key=", "restorepoint.store.s3.secret-key=",
            "restorepoint.store.encryption.key-id=", "restorepoint.store.encryption.key-file="};

    final org.springframework.boot.test.context.runner.ApplicationContextRunner context =
            new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                    .withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(ArtifactStoreAutoConfiguration.class))
                    .withPropertyValues(AS_THE_SERVICES_BIND_THEM);

    @Test
    void defaultsBindToAFilesystemStoreInTheClear() {
        context.withPropertyValues("restorepoint.store.path=" + dir).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(io.restorepoint.engine.artifact.ArtifactStore.class))
                    .isInstanceOf(io.restorepoint.engine.artifact.FileSystemArtifactStore.class);
            assertThat(ctx.getBean(Keyring.class).encrypts()).isFalse();
        });
    }

    @Test
    void s3WithAnEmptyEndpointAndAKeyFileBinds() throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "k1=" + key(1) + "\n");
        context.withPropertyValues("restorepoint.store.type=s3", "restorepoint.store.s3.bucket=backups",
                        "restorepoint.store.s3.access-key=AKIA", "restorepoint.store.s3.secret-key=shh",
                        "restorepoint.store.encryption.key-id=k1", "restorepoint.store.encryption.key-file=" + file)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(io.restorepoint.engine.artifact.ArtifactStore.class)).isInstanceOf(S3ArtifactStore.class);
                    assertThat(ctx.getBean(Keyring.class).currentId()).hasValue("k1");
                    assertThat(ctx.getBean(StoreProperties.class).toString()).doesNotContain("shh").doesNotContain(key(1));
                });
    }

    @Test
    void s3WithoutABucketFailsAtStartWithTheSettingsName() {
        context.withPropertyValues("restorepoint.store.type=s3").run(ctx ->
                assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("RP_S3_BUCKET"));
    }
}
