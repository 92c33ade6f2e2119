package io.restorepoint.engine.load;

/**
 * Tuning of a load.
 *
 * @param connections           connections loading chunks in parallel
 * @param definers              whose rights restored views, triggers, routines and events run with
 * @param deferIndexesFromRows  tables with at least this many rows get their secondary indexes and foreign keys
 *                              after their rows ({@link DeferredIndexes}); smaller ones are created as dumped
 *                              (a few ALTER statements cost more than they save there). Long.MAX_VALUE: never
 */
public record LoadOptions(int connections, DefinerPolicy definers, long deferIndexesFromRows) {

    /** Below this a table's indexes are maintained while loading (measured in docs/design/0014). */
    public static final long DEFAULT_DEFER_INDEXES_FROM_ROWS = 50_000;

    public LoadOptions(int connections) {
        this(connections, DefinerPolicy.KEEP);
    }

    public LoadOptions(int connections, DefinerPolicy definers) {
        this(connections, definers, DEFAULT_DEFER_INDEXES_FROM_ROWS);
    }

    public LoadOptions {
        if (connections < 1 || deferIndexesFromRows < 0) {
            throw new IllegalArgumentException("connections must be positive and deferIndexesFromRows not negative");
        }
    }

    public LoadOptions withDefiners(DefinerPolicy policy) {
        return new LoadOptions(connections, policy, deferIndexesFromRows);
    }

    public LoadOptions withDeferIndexesFromRows(long rows) {
        return new LoadOptions(connections, definers, rows);
    }

    public static LoadOptions defaults() {
        return new LoadOptions(Runtime.getRuntime().availableProcessors());
    }
}
