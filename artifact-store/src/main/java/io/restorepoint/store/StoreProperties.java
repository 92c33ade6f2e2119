package io.restorepoint.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where artifacts are kept ({@code restorepoint.store.*}); the gateway and every worker must point at the
 * same store.
 *
 * @param type             {@code filesystem} (default) or {@code s3}
 * @param path             root directory of the filesystem store (env {@code RP_STORE_DIR}); with {@code s3},
 *                         the local scratch space for files on their way to and from the bucket
 * @param compressionLevel zstd level of data chunks (1 fastest … 19 smallest); 1 already compresses the demo
 *                         data 5:1, smaller than mydumper's gzip
 * @param s3               the bucket, when {@code type} is {@code s3}
 * @param encryption       encryption at rest (off unless a key id is set)
 */
@ConfigurationProperties("restorepoint.store")
public record StoreProperties(
        @DefaultValue("filesystem") Type type,
        @DefaultValue("restorepoint-store") Path path,
        @DefaultValue("1") int compressionLevel,
        @DefaultValue S3 s3,
        @DefaultValue Encryption encryption) {

    public enum Type { FILESYSTEM, S3 }

    /**
     * An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Garage, …).
     *
     * @param bucket    bucket name (env {@code RP_S3_BUCKET}); it must exist
     * @param prefix    key prefix under which artifacts live, e.g. {@code restorepoint/}
     * @param region    region (env {@code RP_S3_REGION})
     * @param endpoint  endpoint URL for S3-compatible servers (env {@code RP_S3_ENDPOINT}); unset for AWS
     * @param pathStyle path-style addressing ({@code https://host/bucket/key}), which most non-AWS servers need
     * @param accessKey access key id (env {@code RP_S3_ACCESS_KEY}); unset: the AWS default credentials chain
     * @param secretKey secret access key (env {@code RP_S3_SECRET_KEY}); never logged
     */
    public record S3(String bucket, @DefaultValue("") String prefix, @DefaultValue("us-east-1") String region,
            URI endpoint, @DefaultValue("false") boolean pathStyle, String accessKey, String secretKey) {

        @Override
        public String toString() {
            return "S3[bucket=" + bucket + ", prefix=" + prefix + ", region=" + region + ", endpoint=" + endpoint + "]";
        }
    }

    /**
     * Artifacts encrypted before they leave the worker (AES-256-GCM in 64 KiB segments).
     *
     * @param keyId   the key new artifacts are encrypted with (env {@code RP_STORE_KEY_ID}); unset: no encryption
     * @param keys    keys by id, each 32 random bytes in base64 ({@code openssl rand -base64 32}); older keys stay
     *                listed after a rotation so older artifacts still restore
     * @param keyFile a file of {@code <id>=<base64 key>} lines (env {@code RP_STORE_KEY_FILE}), e.g. a
     *                Compose or Kubernetes secret; merged with {@code keys}
     */
    public record Encryption(String keyId, Map<String, String> keys, Path keyFile) {

        @Override
        public String toString() {
            return "Encryption[keyId=" + keyId + ", keys=" + (keys == null ? "[]" : keys.keySet()) + ", keyFile=" + keyFile + "]";
        }
    }
}
