package io.restorepoint.engine.artifact.crypto;

import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.Manifest;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The AES-256 keys artifacts are encrypted with: one current key that new artifacts use, and any number of
 * older keys that artifacts written before a rotation still need. Key material never appears in
 * {@link #toString()} or in an error.
 */
public final class Keyring {

    /** What a key id may be (the key file uses the same rule). */
    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String currentId;
    private final Map<String, SecretKey> keys;

    private Keyring(String currentId, Map<String, SecretKey> keys) {
        this.currentId = currentId;
        this.keys = Map.copyOf(keys);
    }

    /** No encryption: artifacts are written in the clear; encrypted artifacts cannot be read. */
    public static Keyring none() {
        return new Keyring(null, Map.of());
    }

    /**
     * @param currentId id of the key new artifacts are encrypted with ({@code null}: write in the clear)
     * @param keys      every key by id, base64-encoded 32 bytes; must hold {@code currentId}
     */
    public static Keyring of(String currentId, Map<String, String> keys) {
        Map<String, SecretKey> parsed = new LinkedHashMap<>();
        keys.forEach((id, material) -> parsed.put(checkId(id), parse(id, material)));
        if (currentId != null && !parsed.containsKey(currentId)) {
            throw new IllegalArgumentException("the current encryption key '" + currentId + "' is not configured");
        }
        return new Keyring(currentId, parsed);
    }

    private static String checkId(String id) {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id '" + id + "' must be 1-64 characters of letters, digits, . _ -");
        }
        return id;
    }

    private static SecretKey parse(String id, String material) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(material == null ? "" : material.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key '" + id + "' is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("key '" + id + "' must be 32 bytes (AES-256), it has " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** Whether new artifacts are encrypted. */
    public boolean encrypts() {
        return currentId != null;
    }

    /** The id of the key new artifacts use, if they are encrypted. */
    public Optional<String> currentId() {
        return Optional.ofNullable(currentId);
    }

    SecretKey current() {
        return keys.get(currentId);
    }

    /** The key of this id. */
    SecretKey key(String id) throws ArtifactKeyException {
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new ArtifactKeyException("the artifact is encrypted with key '" + id + "', which is not configured here");
        }
        return key;
    }

    public boolean has(String id) {
        return keys.containsKey(id);
    }

    /** The algorithm recorded in manifests of encrypted artifacts. */
    public static final String ALGORITHM = "AES-256-GCM/64KiB-segments";

    /**
     * The stream a file is written through before it is stored: {@link SegmentedGcm} under the current
     * key, or {@code stored} itself when this keyring does not encrypt.
     */
    public OutputStream encrypting(OutputStream stored, String path) throws IOException {
        return encrypts() ? SegmentedGcm.encrypt(stored, currentId, current(), path) : stored;
    }

    /**
     * The plaintext of a stored file: decrypted with the key its header names when it is encrypted,
     * as stored otherwise.
     *
     * @throws ArtifactKeyException when it is encrypted with a key this keyring lacks (here), or a key of
     *                              the same id that is not the same key (on the first read)
     */
    public InputStream decrypting(InputStream stored, String path) throws IOException {
        return decrypting(stored, path, null);
    }

    /**
     * As {@link #decrypting(InputStream, String)}, refusing a file that is not as its manifest says.
     *
     * @param encrypted whether the file must be encrypted (its manifest records an encryption), null: either
     * @throws EncryptionMismatchException when it is encrypted and should not be, or the other way round
     */
    public InputStream decrypting(InputStream stored, String path, Boolean encrypted) throws IOException {
        BufferedInputStream in = new BufferedInputStream(stored, 1 << 16);
        in.mark(SegmentedGcm.MAGIC.length);
        byte[] head = in.readNBytes(SegmentedGcm.MAGIC.length);
        in.reset();
        boolean isEncrypted = SegmentedGcm.isEncrypted(head, head.length);
        if (encrypted != null && encrypted != isEncrypted) {
            throw new EncryptionMismatchException(path + (encrypted ? " is stored in the clear, but its manifest says the "
                    + "artifact is encrypted" : " is encrypted, but its manifest says the artifact is not"));
        }
        return isEncrypted ? SegmentedGcm.decrypt(in, this, path) : in;
    }

    /** A file of an artifact is not encrypted the way its manifest says. */
    public static final class EncryptionMismatchException extends IOException {
        EncryptionMismatchException(String message) {
            super(message);
        }
    }

    /** The manifest as committed by a store with this keyring: its encryption and format version recorded. */
    public Manifest describe(Manifest manifest) {
        return encrypts()
                ? manifest.withEncryption(ArtifactFormat.ENCRYPTED_VERSION, new Manifest.Encryption(ALGORITHM, currentId))
                : manifest.withEncryption(ArtifactFormat.VERSION, null);
    }

    /**
     * Fails unless every key an artifact's manifest names is here, so a restore with the wrong keys is
     * refused before it starts. (A key of the right id but different material is caught by the verify
     * pass, which decrypts and authenticates every file before anything is loaded.)
     */
    public void checkCanRead(Manifest manifest) throws ArtifactKeyException {
        if (manifest.encryption() != null) {
            key(manifest.encryption().keyId());
        }
    }

    @Override
    public String toString() {
        return "Keyring[current=" + currentId + ", ids=" + keys.keySet() + "]";
    }
}
