package io.restorepoint.engine;

/** A schema object (view, trigger, routine, event, sequence) could not be read or created; the message names it. */
public final class SchemaObjectException extends RuntimeException {

    public SchemaObjectException(String kind, String name, Throwable cause) {
        super(kind + " " + name + ": " + TableException.rootMessage(cause), cause);
    }

    public SchemaObjectException(String kind, String name, String problem) {
        super(kind + " " + name + ": " + problem);
    }
}
