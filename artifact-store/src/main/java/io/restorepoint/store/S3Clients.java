package io.restorepoint.store;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.time.Duration;

/** The S3 client of the configuration {@code restorepoint.store.s3.*}; the secret key is never part of an error. */
final class S3Clients {

    private S3Clients() {
    }

    /** A client for these settings; refuses a missing bucket, or an access key without its secret. */
    static S3Client create(StoreProperties.S3 s3) {
        if (s3 == null || s3.bucket() == null || s3.bucket().isBlank()) {
            throw new IllegalArgumentException("restorepoint.store.type is s3 but restorepoint.store.s3.bucket "
                    + "(env RP_S3_BUCKET) is not set");
        }
        AwsCredentialsProvider credentials;
        if (s3.accessKey() != null && !s3.accessKey().isBlank()) {
            if (s3.secretKey() == null || s3.secretKey().isBlank()) {
                throw new IllegalArgumentException("restorepoint.store.s3.access-key is set but restorepoint.store.s3.secret-key "
                        + "(env RP_S3_SECRET_KEY) is not");
            }
            credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey().strip(), s3.secretKey()));
        } else {
            credentials = DefaultCredentialsProvider.builder().build();
        }
        String region = s3.region() == null || s3.region().isBlank() ? "us-east-1" : s3.region().strip();
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)))
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(s3.pathStyle())
                // Checksums only where S3 requires them (and ours, set explicitly on each upload), so servers
                // that do not speak aws-chunked trailers (many S3-compatible ones) work.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (s3.endpoint() != null && !s3.endpoint().toString().isBlank()) {
            builder.endpointOverride(s3.endpoint());
        }
        return builder.build();
    }
}
