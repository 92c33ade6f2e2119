package io.restorepoint.engine.load;

/** A file of an artifact does not match its checksum or is missing; nothing was changed. */
public final class ArtifactCorruptException extends RuntimeException {

    private final String table;

    public ArtifactCorruptException(String table, String message) {
        super("table " + table + ": " + message);
        this.table = table;
    }

    public String table() {
        return table;
    }
}
