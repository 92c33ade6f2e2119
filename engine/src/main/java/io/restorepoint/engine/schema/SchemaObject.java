package io.restorepoint.engine.schema;

import java.util.List;

/**
 * A schema object other than a base table, as the server shows it: the statement that creates it and the
 * session context it was created under (a trigger's or routine's body is parsed with its own sql_mode and
 * character set, an event's schedule with its time zone), so that it is recreated exactly.
 *
 * @param kind                one of {@link #KINDS}
 * @param name                object name
 * @param table               the table a trigger belongs to (null for other kinds)
 * @param statement           {@code CREATE …} as {@code SHOW CREATE} prints it (DEFINER included)
 * @param sqlMode             sql_mode it was created under (null for views and sequences)
 * @param characterSetClient  character_set_client it was created under (null for sequences)
 * @param collationConnection collation_connection it was created under (null for sequences)
 * @param timeZone            an event's time zone (null for other kinds)
 * @param nextValue           a sequence's next value ({@code next_not_cached_value}; null for other kinds)
 */
public record SchemaObject(String kind, String name, String table, String statement, String sqlMode,
        String characterSetClient, String collationConnection, String timeZone, Long nextValue) {

    public static final String SEQUENCE = "sequence";
    public static final String VIEW = "view";
    public static final String FUNCTION = "function";
    public static final String PROCEDURE = "procedure";
    public static final String TRIGGER = "trigger";
    public static final String EVENT = "event";

    /** Every kind, in the order a restore creates them: what a later kind may use comes first. */
    public static final List<String> KINDS = List.of(SEQUENCE, VIEW, FUNCTION, PROCEDURE, TRIGGER, EVENT);

    /** The SQL keyword of the kind ({@code DROP <keyword> …}). */
    public String keyword() {
        return kind.toUpperCase(java.util.Locale.ROOT);
    }
}
