package io.restorepoint.engine.schema;

/** The database a job names does not exist on the server. */
public final class NoSuchDatabaseException extends RuntimeException {

    public NoSuchDatabaseException(String database) {
        super("database " + database + " does not exist on the server");
    }
}
