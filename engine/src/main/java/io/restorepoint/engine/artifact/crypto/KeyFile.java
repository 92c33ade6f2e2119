package io.restorepoint.engine.artifact.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A key file: one {@code <id>=<base64 key>} per line (blank lines and {@code #} comments ignored), the form
 * {@code restorepoint.store.encryption.key-file} names, so rotated keys can be mounted as one secret. An error
 * names the file and the line, never the line's text: an id and a key pasted without it look alike.
 */
public final class KeyFile {

    private KeyFile() {
    }

    /** The keys of the file by id, in file order; a bad line stops the reading, naming its number. */
    public static Map<String, String> read(Path file) {
        Map<String, String> keys = new LinkedHashMap<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int eq = trimmed.indexOf('=');
                String id = eq <= 0 ? "" : trimmed.substring(0, eq).strip();
                // A key pasted without its id splits at its base64 padding: its "id" is key material, so
                // neither the line nor the id is repeated in the error.
                if (!Keyring.KEY_ID.matcher(id).matches()) {
                    throw new IllegalArgumentException("key file " + file + ", line " + number
                            + ": every line must be <id>=<base64 key>, the id 1-64 characters of letters, digits, . _ -");
                }
                String material = trimmed.substring(eq + 1).strip();
                if (!isAesKey(material)) {
                    // neither the value nor the id is repeated: either may be key material
                    throw new IllegalArgumentException("key file " + file + ", line " + number
                            + ": the value after '=' must be 32 random bytes in base64 (openssl rand -base64 32)");
                }
                keys.put(id, material);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file, e);
        }
        return keys;
    }

    private static boolean isAesKey(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
