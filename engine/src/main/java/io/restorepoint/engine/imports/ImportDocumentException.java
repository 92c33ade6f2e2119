package io.restorepoint.engine.imports;

import java.util.Map;

/**
 * An import document that cannot be imported, with what a person needs to fix it. Raised before
 * anything is written. {@code status} is the HTTP status the caller should see: 400 for a document that
 * is not JSON or not the expected shape, 413 for one too large, 422 for values that do not fit the
 * database.
 */
public final class ImportDocumentException extends RuntimeException {

    private final int status;
    private final Map<String, Object> info;

    public ImportDocumentException(int status, String message, Map<String, Object> info) {
        super(message);
        this.status = status;
        this.info = info == null ? Map.of() : Map.copyOf(info);
    }

    public static ImportDocumentException badShape(String message) {
        return new ImportDocumentException(400, message, Map.of());
    }

    public static ImportDocumentException invalid(String message, Map<String, Object> info) {
        return new ImportDocumentException(422, message, info);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> info() {
        return info;
    }

    /** A name from the document, safe to repeat in a message: printable, at most 64 characters. */
    static String shown(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(64).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out + (name.codePointCount(0, name.length()) > 64 ? "…" : "");
    }
}
