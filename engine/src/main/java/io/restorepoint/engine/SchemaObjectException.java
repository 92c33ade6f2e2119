package io.restorepoint.engine;

/** A schema object (view, trigger, routine, event, sequence) could not be read or created; the message names it. */
public final class SchemaObjectException extends RuntimeException {

    private final String problem;

    public SchemaObjectException(String kind, String name, Throwable cause) {
        this(kind, name, TableException.rootMessage(cause), cause);
    }

    public SchemaObjectException(String kind, String name, String problem) {
        this(kind, name, problem, null);
    }

    private SchemaObjectException(String kind, String name, String problem, Throwable cause) {
        super(kind + " " + name + ": " + problem, cause);
        this.problem = problem;
    }

    /** What went wrong, without the object's name. */
    public String problem() {
        return problem;
    }
}
