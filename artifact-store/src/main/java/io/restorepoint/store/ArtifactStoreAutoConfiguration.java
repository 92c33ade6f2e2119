package io.restorepoint.store;

import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.crypto.Keyring;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The one artifact store of a service, as {@link StoreProperties} describe it. */
@AutoConfiguration
@EnableConfigurationProperties(StoreProperties.class)
public class ArtifactStoreAutoConfiguration {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Bean
    @ConditionalOnMissingBean
    Keyring artifactKeyring(StoreProperties properties) {
        return keyring(properties.encryption());
    }

    /** An S3 store's client is closed with the context (the filesystem store holds nothing to close). */
    @Bean
    @ConditionalOnMissingBean
    ArtifactStore artifactStore(StoreProperties properties, Keyring keyring) {
        return switch (properties.type()) {
            case FILESYSTEM -> new FileSystemArtifactStore(properties.path(), properties.compressionLevel(), keyring);
            case S3 -> S3ArtifactStore.create(properties.s3(), properties.path(), properties.compressionLevel(), keyring);
        };
    }

    /** The keyring of the configuration: {@code keys} and the key file's lines, merged. */
    static Keyring keyring(StoreProperties.Encryption encryption) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (encryption.keys() != null) {
            keys.putAll(encryption.keys());
        }
        if (encryption.keyFile() != null && !encryption.keyFile().toString().isBlank()) {
            try {
                int number = 0;
                for (String line : Files.readAllLines(encryption.keyFile())) {
                    number++;
                    String trimmed = line.strip();
                    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                        continue;
                    }
                    int eq = trimmed.indexOf('=');
                    String id = eq <= 0 ? "" : trimmed.substring(0, eq).strip();
                    // A key pasted without its id splits at its base64 padding: its "id" is key material, so
                    // neither the line nor the id is repeated in the error.
                    if (!KEY_ID.matcher(id).matches()) {
                        throw new IllegalArgumentException("key file " + encryption.keyFile() + ", line " + number
                                + ": every line must be <id>=<base64 key>, the id 1-64 characters of letters, digits, . _ -");
                    }
                    String material = trimmed.substring(eq + 1).strip();
                    if (!isAesKey(material)) {
                        // neither the value nor the id is repeated: either may be key material
                        throw new IllegalArgumentException("key file " + encryption.keyFile() + ", line " + number
                                + ": the value after '=' must be 32 random bytes in base64 (openssl rand -base64 32)");
                    }
                    keys.put(id, material);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read key file " + encryption.keyFile(), e);
            }
        }
        String current = encryption.keyId() == null || encryption.keyId().isBlank() ? null : encryption.keyId();
        return Keyring.of(current, keys);
    }

    private static boolean isAesKey(String base64) {
        try {
            return java.util.Base64.getDecoder().decode(base64).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
