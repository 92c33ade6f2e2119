package io.restorepoint.store;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The S3 operations the store uses, on one bucket, with SDK failures as {@link IOException}s naming the object. */
final class S3Bucket {

    /** DeleteObjects takes at most this many keys. */
    static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;

    S3Bucket(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    String name() {
        return bucket;
    }

    S3Client client() {
        return s3;
    }

    String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static IOException failure(String operation, String what, SdkException e) {
        return new IOException("S3 " + operation + " of " + what + " failed: " + e.getMessage(), e);
    }

    private static boolean notFound(SdkException e) {
        return e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404);
    }

    /** The object's bytes; {@link NoSuchFileException} when there is no such object. */
    InputStream get(String key) throws IOException {
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (notFound(e)) {
                throw new NoSuchFileException(uri(key));
            }
            throw failure("GetObject", uri(key), e);
        }
        return new S3Download(in);
    }

    boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (SdkException e) {
            if (notFound(e)) {
                return false;
            }
            throw failure("HeadObject", uri(key), e);
        }
    }

    boolean anyUnder(String keyPrefix) throws IOException {
        try {
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix).maxKeys(1));
            return page.hasContents() && !page.contents().isEmpty();
        } catch (SdkException e) {
            throw failure("ListObjectsV2", uri(keyPrefix), e);
        }
    }

    /** Every key under the prefix, listed page by page. */
    List<String> list(String keyPrefix) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix).build();
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (S3Object object : page.contents()) {
                    keys.add(object.key());
                }
            }
        } catch (SdkException e) {
            throw failure("ListObjectsV2", uri(keyPrefix), e);
        }
        return keys;
    }

    void deleteUnder(String keyPrefix) throws IOException {
        delete(list(keyPrefix));
    }

    /** Deletes these keys (missing ones are no error), in batches DeleteObjects accepts. */
    void delete(List<String> keys) throws IOException {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            DeleteObjectsResponse response;
            try {
                response = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
            } catch (SdkException e) {
                throw failure("DeleteObjects", batch.size() + " objects under " + uri(""), e);
            }
            if (response.hasErrors() && !response.errors().isEmpty()) {
                var first = response.errors().get(0);
                throw new IOException("S3 DeleteObjects failed for " + response.errors().size() + " of " + batch.size()
                        + " objects, e.g. " + uri(first.key()) + ": " + first.code() + " " + first.message());
            }
        }
    }

    /** Uploads a local file in one PutObject, with its SHA-256 for the server to check. */
    void put(String key, Path file, long length, String sha256Base64) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength(length).checksumSHA256(sha256Base64),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("PutObject", uri(key), e);
        }
    }

    void put(String key, byte[] bytes) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) bytes.length)
                    .checksumSHA256(Base64.getEncoder().encodeToString(sha256().digest(bytes))), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("PutObject", uri(key), e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
