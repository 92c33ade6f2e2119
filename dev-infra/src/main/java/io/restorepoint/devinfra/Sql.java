package io.restorepoint.devinfra;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Blocking SQL helpers for dev tooling and tests (set-up, seeding, assertions); services never use it. */
public final class Sql {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private Sql() {
    }

    public static String checkIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return name;
    }

    /**
     * A derived table of the integers 0 … 10^digits - 1 in a column {@code n}, portable across MariaDB and
     * MySQL (no sequence engine, no recursion limit): {@code SELECT n FROM <sequence(3)> t WHERE n < 234}.
     */
    public static String sequence(int digits) {
        String ten = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        StringBuilder select = new StringBuilder("(SELECT ");
        StringBuilder from = new StringBuilder(" FROM ");
        long factor = 1;
        for (int i = 0; i < digits; i++) {
            select.append(i == 0 ? "" : " + ").append(factor).append(" * d").append(i).append(".d");
            from.append(i == 0 ? "" : " CROSS JOIN ").append(ten).append(" d").append(i);
            factor *= 10;
        }
        return select.append(" AS n").append(from).append(')').toString();
    }

    /** Runs the statements in order on one connection. */
    public static void execute(ConnectionFactory factory, String... statements) {
        execute(factory, List.of(statements));
    }

    public static void execute(ConnectionFactory factory, List<String> statements) {
        Mono.usingWhen(Mono.from(factory.create()),
                connection -> Flux.fromIterable(statements)
                        .concatMap(sql -> Flux.from(connection.createStatement(sql).execute())
                                .concatMap(Result::getRowsUpdated))
                        .then(),
                Connection::close)
                .block(TIMEOUT);
    }

    /** The rows of a query, each a column-name → value map (column names as the server labels them). */
    public static List<Map<String, Object>> query(ConnectionFactory factory, String sql) {
        return Mono.usingWhen(Mono.from(factory.create()),
                connection -> Flux.from(connection.createStatement(sql).execute())
                        .concatMap(result -> result.map((row, meta) -> {
                            Map<String, Object> values = new java.util.LinkedHashMap<>();
                            for (var column : meta.getColumnMetadatas()) {
                                values.put(column.getName(), row.get(column.getName()));
                            }
                            return values;
                        }))
                        .collectList(),
                Connection::close)
                .block(TIMEOUT);
    }

    /** The single value of a single-row, single-column query. */
    public static Object scalar(ConnectionFactory factory, String sql) {
        List<Map<String, Object>> rows = query(factory, sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).values().iterator().next();
    }

    /**
     * {@code CHECKSUM TABLE} of every table of {@code schema}, by name: equal maps mean equal contents, which
     * is how tests compare a restored database with its source.
     */
    public static Map<String, Object> tableChecksums(ConnectionFactory factory, String schema) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Map<String, Object> row : query(factory, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + schema.replace("'", "''") + "' ORDER BY TABLE_NAME")) {
            String table = (String) row.values().iterator().next();
            out.put(table, query(factory, "CHECKSUM TABLE `" + schema.replace("`", "``") + "`.`" + table.replace("`", "``") + "`")
                    .get(0).get("Checksum"));
        }
        return out;
    }

    /**
     * Every object of {@code schema} but its base tables, as the server shows it ({@code SHOW CREATE}, DEFINER
     * and all; a trigger with its firing order, an event with its status), keyed {@code "<kind> <name>"}:
     * equal maps mean equal views, triggers, routines, events and sequences.
     *
     * @param server connections to the server (no default database needed)
     */
    public static Map<String, String> objectDefinitions(ConnectionFactory server, String schema) {
        String in = "'" + schema.replace("'", "''") + "'";
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map<String, Object> row : query(server, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = " + in)) {
            String name = (String) row.get("TABLE_NAME");
            out.put("view " + name, String.valueOf(query(server, "SHOW CREATE VIEW " + qualified(schema, name)).get(0).get("Create View")));
        }
        for (Map<String, Object> row : query(server, "SELECT TRIGGER_NAME, ACTION_ORDER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " + in)) {
            String name = (String) row.get("TRIGGER_NAME");
            out.put("trigger " + name, row.get("ACTION_ORDER") + " " + query(server, "SHOW CREATE TRIGGER " + qualified(schema, name))
                    .get(0).get("SQL Original Statement"));
        }
        for (Map<String, Object> row : query(server, "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = " + in)) {
            String name = (String) row.get("ROUTINE_NAME");
            String type = (String) row.get("ROUTINE_TYPE");
            String column = type.equals("FUNCTION") ? "Create Function" : "Create Procedure";
            out.put(type.toLowerCase(java.util.Locale.ROOT) + " " + name,
                    String.valueOf(query(server, "SHOW CREATE " + type + " " + qualified(schema, name)).get(0).get(column)));
        }
        for (Map<String, Object> row : query(server, "SELECT EVENT_NAME, STATUS FROM information_schema.EVENTS WHERE EVENT_SCHEMA = " + in)) {
            String name = (String) row.get("EVENT_NAME");
            out.put("event " + name, row.get("STATUS") + " " + query(server, "SHOW CREATE EVENT " + qualified(schema, name))
                    .get(0).get("Create Event"));
        }
        for (Map<String, Object> row : query(server, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + in
                + " AND TABLE_TYPE = 'SEQUENCE'")) {
            String name = (String) row.get("TABLE_NAME");
            out.put("sequence " + name, String.valueOf(query(server, "SHOW CREATE SEQUENCE " + qualified(schema, name))
                    .get(0).get("Create Table")));
        }
        return out;
    }

    private static String qualified(String schema, String name) {
        return "`" + schema.replace("`", "``") + "`.`" + name.replace("`", "``") + "`";
    }
}
