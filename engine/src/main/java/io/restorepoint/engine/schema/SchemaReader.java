package io.restorepoint.engine.schema;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import io.restorepoint.engine.sql.Identifiers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads a database's base tables, columns, keys and DDL from the server catalog. */
public final class SchemaReader {

    private static final Pattern GENERATED = Pattern.compile("\\b(VIRTUAL|STORED|PERSISTENT)\\b");

    private SchemaReader() {
    }

    /** Base tables of {@code database}, by name. Views, sequences and system tables are not included. */
    public static Mono<List<TableInfo>> tables(Connection connection, String database) {
        Mono<Map<String, long[]>> sizes = rows(connection,
                "SELECT TABLE_NAME, COALESCE(TABLE_ROWS,0), COALESCE(DATA_LENGTH,0)+COALESCE(INDEX_LENGTH,0) "
                        + "FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' "
                        + "ORDER BY TABLE_NAME", database,
                row -> Map.entry(row.get(0, String.class),
                        new long[] {row.get(1, Number.class).longValue(), row.get(2, Number.class).longValue()}))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
        Mono<Map<String, List<ColumnInfo>>> columns = rows(connection,
                "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA, CHARACTER_MAXIMUM_LENGTH, "
                        + "CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION, COALESCE(NUMERIC_SCALE, DATETIME_PRECISION), COLUMN_DEFAULT "
                        + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION",
                database,
                row -> Map.entry(row.get(0, String.class), new ColumnInfo(
                        row.get(1, String.class),
                        row.get(2, String.class).toLowerCase(Locale.ROOT),
                        row.get(3, String.class),
                        "YES".equals(row.get(4, String.class)),
                        GENERATED.matcher(String.valueOf(row.get(5, String.class)).toUpperCase(Locale.ROOT)).find(),
                        longOrNull(row.get(6, Number.class)),
                        longOrNull(row.get(7, Number.class)),
                        intOrNull(row.get(8, Number.class)),
                        intOrNull(row.get(9, Number.class)),
                        required(row.get(4, String.class), row.get(5, String.class), row.get(10, String.class)),
                        String.valueOf(row.get(5, String.class)).toLowerCase(Locale.ROOT).contains("auto_increment"))))
                .collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
                .map(m -> {
                    Map<String, List<ColumnInfo>> out = new LinkedHashMap<>();
                    m.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
                    return out;
                });
        Mono<Map<String, List<String>>> keys = rows(connection,
                "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
                        + "WHERE TABLE_SCHEMA = ? AND INDEX_NAME = 'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX",
                database,
                row -> Map.entry(row.get(0, String.class), row.get(1, String.class)))
                .collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
                .map(m -> {
                    Map<String, List<String>> out = new LinkedHashMap<>();
                    m.forEach((k, v) -> out.put(k, List.copyOf(v)));
                    return out;
                });
        Mono<Void> exists = rows(connection,
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", database, row -> 1)
                .hasElements()
                .flatMap(found -> found ? Mono.<Void>empty()
                        : Mono.error(new NoSuchDatabaseException(database)));
        // one statement at a time: a connection runs its exchanges in sequence
        return exists.then(sizes).flatMap(s -> columns.flatMap(c -> keys.map(k -> {
            List<TableInfo> tables = new ArrayList<>();
            s.forEach((name, size) -> tables.add(new TableInfo(name,
                    List.copyOf(c.getOrDefault(name, List.of())), k.getOrDefault(name, List.of()), size[0], size[1])));
            return tables;
        })));
    }

    /** Foreign-key dependencies: table → the other tables it references. */
    public static Mono<Map<String, java.util.Set<String>>> references(Connection connection, String database) {
        return rows(connection, "SELECT TABLE_NAME, REFERENCED_TABLE_NAME FROM information_schema.KEY_COLUMN_USAGE "
                        + "WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_SCHEMA = TABLE_SCHEMA AND REFERENCED_TABLE_NAME IS NOT NULL",
                database, row -> Map.entry(row.get(0, String.class), row.get(1, String.class)))
                .collect(java.util.HashMap::new, (map, e) -> {
                    if (!e.getKey().equals(e.getValue())) {
                        map.computeIfAbsent(e.getKey(), k -> new java.util.TreeSet<>()).add(e.getValue());
                    }
                });
    }

    /** Tables ordered so every table comes after the tables it references (name order otherwise). */
    public static List<TableInfo> parentsFirst(List<TableInfo> tables, Map<String, java.util.Set<String>> references) {
        Map<String, TableInfo> byName = new java.util.TreeMap<>();
        tables.forEach(t -> byName.put(t.name(), t));
        List<TableInfo> ordered = new ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>();
        while (ordered.size() < byName.size()) {
            boolean progress = false;
            for (TableInfo t : byName.values()) {
                if (!placed.contains(t.name()) && references.getOrDefault(t.name(), java.util.Set.of()).stream()
                        .allMatch(r -> placed.contains(r) || !byName.containsKey(r))) {
                    ordered.add(t);
                    placed.add(t.name());
                    progress = true;
                }
            }
            if (!progress) {
                // a reference cycle: the rest in name order (loads run with foreign key checks off)
                byName.values().stream().filter(t -> !placed.contains(t.name())).forEach(t -> {
                    ordered.add(t);
                    placed.add(t.name());
                });
            }
        }
        return ordered;
    }

    /** The {@code CREATE TABLE} statement of a table, as the server prints it. */
    public static Mono<String> createStatement(Connection connection, String database, String table) {
        return Flux.from(connection.createStatement("SHOW CREATE TABLE " + Identifiers.quote(database, table)).execute())
                .concatMap(result -> result.map(row -> row.get(1, String.class)))
                .single();
    }

    /** NOT NULL with no default, not filled by the server (auto-increment, generated). */
    private static boolean required(String nullable, String extra, String defaultValue) {
        String e = String.valueOf(extra).toLowerCase(Locale.ROOT);
        return !"YES".equals(nullable) && defaultValue == null && !e.contains("auto_increment")
                && !GENERATED.matcher(e.toUpperCase(Locale.ROOT)).find();
    }

    private static Long longOrNull(Number n) {
        return n == null ? null : n.longValue();
    }

    private static Integer intOrNull(Number n) {
        return n == null ? null : n.intValue();
    }

    private static <T> Flux<T> rows(Connection connection, String sql, String database,
            java.util.function.Function<Readable, T> mapper) {
        return Flux.from(connection.createStatement(sql).bind(0, database).execute())
                .concatMap(result -> result.map(mapper::apply));
    }
}
