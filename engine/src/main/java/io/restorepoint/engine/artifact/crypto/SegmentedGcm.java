package io.restorepoint.engine.artifact.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Streaming authenticated encryption of one artifact file: AES-256-GCM over 64 KiB segments, so files of
 * any size are encrypted and decrypted in constant memory and a damaged or swapped segment is detected
 * where it is. The layout ({@code docs/artifact-format.md}):
 * <pre>
 *   "RPE1" | key id length (1 byte) | key id (UTF-8) | salt (16 random bytes) | key check (8 bytes)
 *   | nonce prefix (7 random bytes)
 *   segment*: AES-GCM(plaintext ≤ 64 KiB) with its 16-byte tag
 * </pre>
 * Every file is encrypted under a key of its own, HKDF-SHA256 of the configured key, the file's random
 * salt and its path (as Tink's streaming AEAD does), so GCM nonces never repeat under one key however many
 * files a key encrypts. The key check (also derived from both) tells a wrong key from a damaged file.
 * Segment {@code i}'s nonce is the prefix, {@code i} (4 bytes, big-endian) and a last-segment flag, so
 * segments cannot be reordered, dropped or the file truncated unnoticed. The file's path inside the
 * artifact is also the associated data: a file cannot be passed off as another.
 */
public final class SegmentedGcm {

    static final byte[] MAGIC = "RPE1".getBytes(StandardCharsets.US_ASCII);
    static final int SEGMENT = 1 << 16;
    static final int TAG_BYTES = 16;
    static final int PREFIX_BYTES = 7;
    static final int SALT_BYTES = 16;
    static final int CHECK_BYTES = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SegmentedGcm() {
    }

    /** Whether these leading bytes are those of an encrypted file. */
    public static boolean isEncrypted(byte[] head, int length) {
        return length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Encrypts everything written to the returned stream into {@code out}; closing it closes {@code out}. */
    public static OutputStream encrypt(OutputStream out, String keyId, SecretKey key, String path) throws IOException {
        byte[] salt = new byte[SALT_BYTES];
        byte[] prefix = new byte[PREFIX_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(prefix);
        FileKey fileKey = FileKey.derive(key, salt, path);
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        out.write(MAGIC);
        out.write(id.length);
        out.write(id);
        out.write(salt);
        out.write(fileKey.check());
        out.write(prefix);
        return new Encrypting(out, fileKey.key(), prefix, aad(path));
    }

    /**
     * Decrypts a file written by {@link #encrypt}, whose first bytes are still to be read from {@code in}.
     *
     * @throws ArtifactKeyException when the key is missing or wrong (on the first segment)
     */
    public static InputStream decrypt(InputStream in, Keyring keys, String path) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(path + " is not an encrypted artifact file");
        }
        int idLength = in.read();
        if (idLength < 0) {
            throw new EOFException(path + " ends inside its header");
        }
        String keyId = new String(readFully(in, idLength, path), StandardCharsets.UTF_8);
        byte[] salt = readFully(in, SALT_BYTES, path);
        byte[] check = readFully(in, CHECK_BYTES, path);
        byte[] prefix = readFully(in, PREFIX_BYTES, path);
        FileKey fileKey = FileKey.derive(keys.key(keyId), salt, path);
        if (!java.security.MessageDigest.isEqual(check, fileKey.check())) {
            throw new ArtifactKeyException("the artifact does not decrypt with the configured key '" + keyId
                    + "': a different key is configured under that id");
        }
        return new Decrypting(in, fileKey.key(), prefix, aad(path));
    }

    private static byte[] readFully(InputStream in, int n, String path) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new EOFException(path + " ends inside its header");
        }
        return bytes;
    }

    private static byte[] aad(String path) {
        return path.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The key of one file and the check value of the configured key: HKDF-SHA256 (RFC 5869) of the
     * configured key and the file's salt, expanded once with the file's path (the file key) and once without
     * (the check), so a wrong key fails the check while a renamed or damaged file fails authentication.
     */
    record FileKey(SecretKey key, byte[] check) {

        static FileKey derive(SecretKey master, byte[] salt, String path) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA256"));
                byte[] prk = mac.doFinal(master.getEncoded()); // extract
                byte[] fileKey = expand(mac, prk, "RPE1 file key " + path);
                byte[] check = expand(mac, prk, "RPE1 key check");
                return new FileKey(new javax.crypto.spec.SecretKeySpec(fileKey, "AES"), Arrays.copyOf(check, CHECK_BYTES));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** HKDF-Expand to 32 bytes (one block). */
        private static byte[] expand(javax.crypto.Mac mac, byte[] prk, String info) throws GeneralSecurityException {
            mac.init(new javax.crypto.spec.SecretKeySpec(prk, "HmacSHA256"));
            mac.update(info.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 1);
            return mac.doFinal();
        }
    }

    static byte[] nonce(byte[] prefix, int segment, boolean last) {
        return ByteBuffer.allocate(12).put(prefix).putInt(segment).put((byte) (last ? 1 : 0)).array();
    }

    private static Cipher gcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Encrypting extends FilterOutputStream {
        private final Cipher cipher = gcm();
        private final SecretKey key;
        private final byte[] prefix;
        private final byte[] aad;
        private final byte[] buffer = new byte[SEGMENT];
        private final byte[] sealed = new byte[SEGMENT + TAG_BYTES];
        private int filled;
        private int segment;
        private boolean closed;

        Encrypting(OutputStream out, SecretKey key, byte[] prefix, byte[] aad) {
            super(out);
            this.key = key;
            this.prefix = prefix;
            this.aad = aad;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == SEGMENT) {
                    seal(false); // more follows, so this one is not the last
                }
                int n = Math.min(len, SEGMENT - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, segment, last)));
                cipher.updateAAD(aad);
                int n = cipher.doFinal(buffer, 0, filled, sealed, 0);
                out.write(sealed, 0, n);
            } catch (GeneralSecurityException e) {
                throw new IOException("encryption failed", e);
            }
            segment++;
            filled = 0;
        }

        @Override
        public void flush() throws IOException {
            out.flush(); // whole segments only; the buffered tail is sealed on close
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                try {
                    seal(true);
                } finally {
                    out.close();
                }
            }
        }
    }

    private static final class Decrypting extends InputStream {
        private final InputStream in;
        private final Cipher cipher = gcm();
        private final SecretKey key;
        private final byte[] prefix;
        private final byte[] aad;
        private final byte[] sealed = new byte[SEGMENT + TAG_BYTES + 1];
        private final byte[] plain = new byte[SEGMENT];
        private int carried; // bytes of the next segment already read (0 or 1)
        private int plainLength;
        private int plainPos;
        private int segment;
        private boolean done;

        Decrypting(InputStream in, SecretKey key, byte[] prefix, byte[] aad) {
            this.in = in;
            this.key = key;
            this.prefix = prefix;
            this.aad = aad;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (plainPos == plainLength) {
                if (done) {
                    return -1;
                }
                open();
            }
            int n = Math.min(len, plainLength - plainPos);
            System.arraycopy(plain, plainPos, b, off, n);
            plainPos += n;
            return n;
        }

        /** Reads one sealed segment plus one byte more, which tells whether it is the last. */
        private void open() throws IOException {
            int want = SEGMENT + TAG_BYTES + 1;
            int have = carried;
            while (have < want) {
                int n = in.read(sealed, have, want - have);
                if (n < 0) {
                    break;
                }
                have += n;
            }
            boolean last = have < want;
            int length = last ? have : have - 1;
            if (length < TAG_BYTES) {
                throw new EOFException("encrypted file is truncated");
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, segment, last)));
                cipher.updateAAD(aad);
                plainLength = cipher.doFinal(sealed, 0, length, plain, 0);
            } catch (AEADBadTagException e) {
                // the key check passed, so the key is right: the bytes are not what was written for this path
                throw new IOException("encrypted segment " + segment + " fails authentication: the file is damaged "
                        + "(or is not the file its name says)", e);
            } catch (GeneralSecurityException e) {
                throw new IOException("decryption failed", e);
            }
            plainPos = 0;
            segment++;
            if (last) {
                done = true;
            } else {
                sealed[0] = sealed[have - 1];
                carried = 1;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
