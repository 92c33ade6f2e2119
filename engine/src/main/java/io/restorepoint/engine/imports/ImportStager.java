package io.restorepoint.engine.imports;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.schema.SchemaReader;
import io.restorepoint.engine.schema.TableInfo;
import io.restorepoint.engine.sql.Identifiers;
import io.restorepoint.engine.sql.SqlText;
import com.github.luben.zstd.ZstdOutputStream;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a whole import document against the target database and stages it, before anything is
 * written to the database. The document is the export format ({@code {"version", "data": {table: [row,
 * …]}, …}}); it is read as a stream, so its size does not matter to memory. Every table must exist in the
 * database and every key of every row must be a column of it (names are compared with the catalog, never
 * put into SQL unchecked); every value is checked by {@link ValueCoercer}. The document must be
 * well-formed UTF-8 JSON with no member name given twice in any object, and the columns declared as
 * password hashes take only {@link PasswordHashes recognised hash formats}. Each table's rows become
 * {@code INSERT IGNORE} statements of at most 1000 rows in a zstd file of the staging area.
 */
public final class ImportStager {

    /** Document versions this import reads. */
    public static final Set<String> SUPPORTED_VERSIONS = Set.of("2.0");
    private static final int ROWS_PER_STATEMENT = 1000;
    private static final int BYTES_PER_STATEMENT = 1 << 20;

    private final ConnectionFactory server;
    private final ArtifactStore store;
    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(64 << 20).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final JsonMapper json = JsonMapper.builder().build();

    public ImportStager(ConnectionFactory server, ArtifactStore store) {
        this.server = server;
        this.store = store;
    }

    /**
     * Reads {@code document}, checks it against {@code database}'s tables and writes the statements under
     * {@code staging}. Blocking; run it off the event loop.
     *
     * @param excluded       tables to leave out (counted as skipped)
     * @param passwordHashes columns, as {@code table.column}, that hold password hashes: a value in them
     *                       that is not a recognised hash format is refused
     * @throws ImportDocumentException when the document cannot be imported; nothing is staged then
     */
    public StagedImport stage(Path document, String database, Set<String> excluded, Set<String> passwordHashes, String staging) {
        Map<String, TableInfo> tables = new HashMap<>();
        Target target = Mono.usingWhen(Mono.from(server.create()),
                        connection -> schema(connection, database), Connection::close)
                .block(Duration.ofMinutes(1));
        List<TableInfo> order = target.tables();
        order.forEach(t -> tables.put(t.name(), t));
        try {
            StagedImport staged = new Parse(tables, excluded, passwordHashes, staging,
                    new ValueCoercer(json, target.zeroIsAValue())).run(document, order);
            try (OutputStream out = store.createStaged(staging + "/" + StagedImport.SUMMARY)) {
                ArtifactFormat.JSON.writeValue(out, staged);
            }
            return staged;
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    /** The target database's tables, parents first, and whether its import sessions store 0 as 0. */
    private record Target(List<TableInfo> tables, boolean zeroIsAValue) {
    }

    private static Mono<Target> schema(Connection connection, String database) {
        // a new session's sql_mode is the server's default: the one the import job's session will have
        Mono<Boolean> zero = Mono.from(connection.createStatement("SELECT @@SESSION.sql_mode").execute())
                .flatMap(result -> Mono.from(result.map(row -> String.valueOf(row.get(0, String.class)))))
                .map(mode -> mode.toUpperCase(java.util.Locale.ROOT).contains("NO_AUTO_VALUE_ON_ZERO"));
        return SchemaReader.tables(connection, database)
                .zipWhen(tables -> SchemaReader.references(connection, database))
                .map(t -> SchemaReader.parentsFirst(t.getT1(), t.getT2()))
                .zipWhen(tables -> zero)
                .map(t -> new Target(t.getT1(), t.getT2()));
    }

    /** One reading of one document; knows where in the document it is, to name the place of a bad byte. */
    private final class Parse {
        private final Map<String, TableInfo> tables;
        private final Set<String> excluded;
        private final Set<String> passwordHashes;
        private final String staging;
        private final ValueCoercer coercer;
        private Utf8Check utf8;
        private String atTable;
        private long atRow = -1;
        private String atColumn;

        Parse(Map<String, TableInfo> tables, Set<String> excluded, Set<String> passwordHashes, String staging, ValueCoercer coercer) {
            this.tables = tables;
            this.excluded = excluded;
            this.passwordHashes = passwordHashes;
            this.staging = staging;
            this.coercer = coercer;
        }

        StagedImport run(Path document, List<TableInfo> order) throws IOException {
            String version = null;
            boolean sawData = false;
            Map<String, StagedImport.Table> staged = new LinkedHashMap<>();
            Map<String, StagedImport.Table> skipped = new LinkedHashMap<>();
            utf8 = new Utf8Check(java.nio.file.Files.newInputStream(document));
            try (JsonParser p = factory.createParser(ObjectReadContext.empty(), utf8)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw ImportDocumentException.badShape("The import document must be a JSON object (the export format)");
                }
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "version" -> {
                            if (value != JsonToken.VALUE_STRING) {
                                throw new ImportDocumentException(400, "version must be a string such as \"2.0\", not "
                                        + (value.isNumeric() ? "the number " + p.getString() : kind(value)),
                                        Map.of("parameter", "version", "expected", "string"));
                            }
                            version = p.getString();
                        }
                        case "data" -> {
                            if (value != JsonToken.START_OBJECT) {
                                throw ImportDocumentException.badShape("data must be an object of tables: {\"table\": [rows]}");
                            }
                            sawData = true;
                            data(p, staged, skipped);
                            atTable = null;
                        }
                        default -> p.skipChildren();
                    }
                    unicode(p);
                }
                if (p.nextToken() != null) {
                    throw ImportDocumentException.badShape("The import document has content after its end");
                }
                unicode(p);
            } catch (JacksonException e) {
                // the parser refused a byte sequence itself (not every one: see unicode()); name the value
                var location = e.getLocation();
                if (utf8.firstBad() >= 0 && location != null && location.getByteOffset() >= utf8.firstBad()) {
                    throw notUtf8();
                }
                throw ImportDocumentException.badShape("The import document is not valid JSON: " + shortMessage(e));
            }
            if (version == null) {
                throw ImportDocumentException.invalid("The import document has no version; supported: " + SUPPORTED_VERSIONS,
                        Map.of("parameter", "version"));
            }
            if (!SUPPORTED_VERSIONS.contains(version)) {
                throw ImportDocumentException.invalid("Document version " + ImportDocumentException.shown(version)
                        + " is not supported; supported: " + SUPPORTED_VERSIONS, Map.of("parameter", "version", "supported", List.copyOf(SUPPORTED_VERSIONS)));
            }
            if (!sawData) {
                throw ImportDocumentException.invalid("The import document has no data", Map.of("parameter", "data"));
            }
            List<StagedImport.Table> ordered = new ArrayList<>();
            for (TableInfo table : order) {
                StagedImport.Table t = staged.get(table.name());
                if (t != null) {
                    ordered.add(t);
                }
            }
            return new StagedImport(version, ordered, List.copyOf(skipped.values()));
        }

        private void data(JsonParser p, Map<String, StagedImport.Table> staged, Map<String, StagedImport.Table> skipped)
                throws IOException {
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                unicode(p);
                atTable = name;
                atRow = -1;
                atColumn = null;
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw ImportDocumentException.badShape("data." + ImportDocumentException.shown(name) + " must be an array of rows");
                }
                if (staged.containsKey(name) || skipped.containsKey(name)) {
                    throw ImportDocumentException.invalid("table " + ImportDocumentException.shown(name) + " appears twice",
                            Map.of("table", ImportDocumentException.shown(name)));
                }
                if (excluded.contains(name)) {
                    long rows = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        atRow = rows;
                        p.skipChildren();
                        unicode(p);
                        rows++;
                    }
                    skipped.put(name, new StagedImport.Table(name, rows, null));
                    continue;
                }
                TableInfo table = tables.get(name);
                if (table == null) {
                    throw ImportDocumentException.invalid("table " + ImportDocumentException.shown(name) + " does not exist in the database",
                            Map.of("table", ImportDocumentException.shown(name)));
                }
                String file = staging + "/" + String.format("%03d", staged.size()) + ".sql.zst";
                staged.put(name, new StagedImport.Table(name, rows(p, table, file), file));
            }
        }

        /** Stages the rows of one table; the parser is on the array's start. */
        private long rows(JsonParser p, TableInfo table, String file) throws IOException {
            List<ColumnInfo> columns = table.dataColumns();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                index.put(columns.get(i).name(), i);
            }
            Set<String> generated = new java.util.HashSet<>();
            table.columns().stream().filter(ColumnInfo::generated).forEach(c -> generated.add(c.name()));
            byte[] header = ("INSERT IGNORE INTO " + Identifiers.quote(table.name()) + " ("
                    + Identifiers.columnList(columns.stream().map(ColumnInfo::name).toList()) + ") VALUES\n")
                    .getBytes(StandardCharsets.UTF_8);
            SqlText sql = new SqlText(1 << 16);
            SqlText[] values = new SqlText[columns.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = new SqlText(64);
            }
            boolean[] present = new boolean[columns.size()];
            boolean[] hashes = new boolean[columns.size()];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = passwordHashes.contains(table.name() + "." + columns.get(i).name());
            }
            long rows = 0;
            int inStatement = 0;
            try (OutputStream out = new ZstdOutputStream(store.createStaged(file), 1)) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        throw ImportDocumentException.badShape("data." + ImportDocumentException.shown(table.name()) + "[" + rows
                                + "] must be an object of column values");
                    }
                    java.util.Arrays.fill(present, false);
                    atRow = rows;
                    atColumn = null;
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String column = p.currentName();
                        atColumn = column;
                        unicode(p);
                        Integer at = index.get(column);
                        if (at == null) {
                            String problem = generated.contains(column) ? "is a generated column and cannot be imported"
                                    : "does not exist";
                            throw ImportDocumentException.invalid("table " + table.name() + ", column "
                                    + ImportDocumentException.shown(column) + " " + problem,
                                    Map.of("table", table.name(), "column", ImportDocumentException.shown(column), "row", rows));
                        }
                        if (present[at]) {
                            throw ImportDocumentException.invalid("table " + table.name() + ", row " + rows + ": column " + column
                                    + " appears twice", Map.of("table", table.name(), "column", column, "row", rows));
                        }
                        p.nextToken();
                        values[at].reset();
                        try {
                            try {
                                coercer.literal(table.name(), columns.get(at), p, values[at]);
                            } catch (ImportDocumentException e) {
                                unicode(p); // a value refused for what a bad byte was decoded to is refused for the byte
                                throw e;
                            }
                            unicode(p);
                            if (hashes[at] && p.currentToken() == JsonToken.VALUE_STRING && !PasswordHashes.recognised(p.getString())) {
                                // the value itself is never repeated: it may be a password
                                throw ImportDocumentException.invalid("table " + table.name() + ", column " + column
                                        + ": the value is not a password hash; this column holds password hashes only ("
                                        + PasswordHashes.ACCEPTED + "), never a password as given",
                                        Map.of("table", table.name(), "column", column));
                            }
                        } catch (ImportDocumentException e) {
                            if (e.info().containsKey("row")) {
                                throw e; // it names its place already
                            }
                            Map<String, Object> info = new HashMap<>(e.info());
                            info.put("row", rows);
                            throw new ImportDocumentException(e.status(), e.getMessage() + " (row " + rows + ")", info);
                        }
                        present[at] = true;
                    }
                    for (int i = 0; i < columns.size(); i++) {
                        if (!present[i] && columns.get(i).required()) {
                            throw ImportDocumentException.invalid("table " + table.name() + ", row " + rows + ": column "
                                    + columns.get(i).name() + " is required (NOT NULL, no default)",
                                    Map.of("table", table.name(), "column", columns.get(i).name(), "row", rows));
                        }
                        if (!present[i] && columns.get(i).autoIncrement()) {
                            throw ImportDocumentException.invalid("table " + table.name() + ", row " + rows + ": column "
                                    + columns.get(i).name() + " is required: it is AUTO_INCREMENT, so without it the server would "
                                    + "give the row a new number and importing the document again would add it twice",
                                    Map.of("table", table.name(), "column", columns.get(i).name(), "row", rows));
                        }
                    }
                    sql.append(inStatement == 0 ? header : ",\n".getBytes(StandardCharsets.US_ASCII));
                    sql.append((byte) '(');
                    for (int i = 0; i < values.length; i++) {
                        if (i > 0) {
                            sql.append((byte) ',');
                        }
                        if (present[i]) {
                            sql.append(values[i]);
                        } else {
                            sql.append("DEFAULT");
                        }
                    }
                    sql.append((byte) ')');
                    rows++;
                    if (++inStatement >= ROWS_PER_STATEMENT || sql.length() >= BYTES_PER_STATEMENT) {
                        sql.append(";\n");
                        sql.writeTo(out);
                        sql.reset();
                        inStatement = 0;
                    }
                }
                if (inStatement > 0) {
                    sql.append(";\n");
                    sql.writeTo(out);
                }
            }
            return rows;
        }

        /**
         * Refuses the document once the parser has read past a byte that is not well-formed UTF-8: the value
         * just read holds it (the parser may have decoded it to some other character without complaint).
         */
        private void unicode(JsonParser p) {
            long bad = utf8.firstBad();
            if (bad >= 0 && p.currentLocation().getByteOffset() > bad) {
                throw notUtf8();
            }
        }

        private ImportDocumentException notUtf8() {
            long bad = utf8.firstBad();
            String problem = "is not valid UTF-8 (an overlong form, an encoded surrogate, a code point above U+10FFFF or a "
                    + "broken sequence, at byte " + bad + ")";
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("byte", bad);
            StringBuilder where = new StringBuilder();
            if (atTable != null) {
                info.put("table", ImportDocumentException.shown(atTable));
                where.append("table ").append(ImportDocumentException.shown(atTable));
                if (atRow >= 0) {
                    info.put("row", atRow);
                    where.append(", row ").append(atRow);
                }
                if (atColumn != null) {
                    info.put("column", ImportDocumentException.shown(atColumn));
                    where.append(", column ").append(ImportDocumentException.shown(atColumn));
                }
                return new ImportDocumentException(400, where + ": the value " + problem, info);
            }
            return ImportDocumentException.badShape("The import document " + problem);
        }
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "another value";
        };
    }

    private void deleteQuietly(String staging) {
        try {
            store.deleteStaged(staging);
        } catch (IOException | RuntimeException ignored) {
            // nothing depends on a half-staged import
        }
    }

    private static String shortMessage(JacksonException e) {
        String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        message = message.replaceAll("[\\p{Cntrl}]", " ");
        if (message.length() > 160) {
            message = message.substring(0, 160) + "…";
        }
        var location = e.getLocation();
        return location == null ? message : message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
