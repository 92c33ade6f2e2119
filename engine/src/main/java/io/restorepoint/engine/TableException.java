package io.restorepoint.engine;

/** A dump, load or import failed while working on one table; the message names it. */
public final class TableException extends RuntimeException {

    private final String table;

    public TableException(String table, Throwable cause) {
        super("table " + table + ": " + rootMessage(cause), cause);
        this.table = table;
    }

    public TableException(String table, String problem) {
        super("table " + table + ": " + problem);
        this.table = table;
    }

    public String table() {
        return table;
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
