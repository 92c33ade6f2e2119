package io.restorepoint.store;

import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.crypto.KeyFile;
import io.restorepoint.engine.artifact.crypto.Keyring;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one artifact store of a service, as {@link StoreProperties} describe it. */
@AutoConfiguration
@EnableConfigurationProperties(StoreProperties.class)
public class ArtifactStoreAutoConfiguration {

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

    /** The keyring of the configuration: {@code keys} and the key file's lines ({@link KeyFile}), merged. */
    static Keyring keyring(StoreProperties.Encryption encryption) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (encryption.keys() != null) {
            keys.putAll(encryption.keys());
        }
        if (encryption.keyFile() != null && !encryption.keyFile().toString().isBlank()) {
            keys.putAll(KeyFile.read(encryption.keyFile()));
        }
        String current = encryption.keyId() == null || encryption.keyId().isBlank() ? null : encryption.keyId();
        return Keyring.of(current, keys);
    }
}
