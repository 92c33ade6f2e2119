package io.restorepoint.engine.load;

import io.restorepoint.engine.sql.Identifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A table's {@code CREATE TABLE} (as {@code SHOW CREATE TABLE} prints it: one definition per line) split so that
 * its secondary indexes and foreign keys are built after the rows are in, as MySQL Shell's
 * {@code deferTableIndexes} and myloader's optimize-keys do: InnoDB builds an index from sorted rows much faster
 * than it maintains it row by row. The table is created with its columns, primary key and checks; then
 * {@link #indexes()} (one {@code ALTER TABLE}, every plain, unique and spatial index), then each FULLTEXT index on
 * its own (InnoDB builds one at a time), then {@link #foreignKeys()} once every table of the load has its indexes
 * (a foreign key needs an index on both sides; with {@code foreign_key_checks = 0} it is added in place, without
 * a check, as the rows came from a database that had it).
 * <p>
 * Only InnoDB tables that are neither partitioned nor system-versioned are split; any other table, or one this parser does not recognise
 * line by line, is created as dumped ({@link #deferred()} false).
 */
public record DeferredIndexes(String create, List<String> indexes, List<String> fulltext, List<String> foreignKeys) {

    private static final Pattern INDEX = Pattern.compile("^(UNIQUE |SPATIAL )?KEY `");
    private static final Pattern FULLTEXT = Pattern.compile("^FULLTEXT KEY `");
    private static final Pattern FOREIGN_KEY = Pattern.compile("^CONSTRAINT `(?:[^`]|``)+` FOREIGN KEY ");
    private static final Pattern AUTO_INCREMENT = Pattern.compile(" AUTO_INCREMENT=\\d+");

    /** Nothing deferred: the table is created as dumped. */
    public static DeferredIndexes asDumped(String ddl) {
        return new DeferredIndexes(ddl, List.of(), List.of(), List.of());
    }

    public boolean deferred() {
        return !indexes.isEmpty() || !fulltext.isEmpty() || !foreignKeys.isEmpty();
    }

    /** Splits {@code ddl} (without its trailing semicolon). */
    public static DeferredIndexes of(String ddl) {
        String[] lines = ddl.split("\n", -1);
        int close = -1;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].startsWith(")")) {
                close = i;
                break;
            }
        }
        if (lines.length < 3 || !lines[0].startsWith("CREATE TABLE ") || !lines[0].endsWith("(") || close < 0) {
            return asDumped(ddl);
        }
        String options = String.join("\n", List.of(lines).subList(close, lines.length));
        String upper = options.toUpperCase(Locale.ROOT);
        if (!upper.contains("ENGINE=INNODB") || upper.contains("PARTITION BY") || upper.contains("WITH SYSTEM VERSIONING")) {
            return asDumped(ddl);
        }
        List<String> kept = new ArrayList<>();
        List<String> indexes = new ArrayList<>();
        List<String> fulltext = new ArrayList<>();
        List<String> foreignKeys = new ArrayList<>();
        for (int i = 1; i < close; i++) {
            String line = lines[i];
            if (!line.startsWith("  ")) {
                return asDumped(ddl); // not one definition per line: leave it alone
            }
            String definition = line.strip();
            if (definition.endsWith(",")) {
                definition = definition.substring(0, definition.length() - 1);
            }
            if (INDEX.matcher(definition).find()) {
                indexes.add("ADD " + definition);
            } else if (FULLTEXT.matcher(definition).find()) {
                fulltext.add("ADD " + definition);
            } else if (FOREIGN_KEY.matcher(definition).find()) {
                foreignKeys.add("ADD " + definition);
            } else {
                kept.add(definition);
            }
        }
        if (kept.isEmpty() || indexes.isEmpty() && fulltext.isEmpty() && foreignKeys.isEmpty()) {
            return asDumped(ddl);
        }
        StringBuilder create = new StringBuilder(lines[0]).append('\n');
        for (int i = 0; i < kept.size(); i++) {
            create.append("  ").append(kept.get(i)).append(i + 1 < kept.size() ? ",\n" : "\n");
        }
        create.append(options);
        return new DeferredIndexes(create.toString(), List.copyOf(indexes), List.copyOf(fulltext), List.copyOf(foreignKeys));
    }

    /** The statements that build the deferred indexes of {@code table} (in the current database), in order. */
    public List<String> indexStatements(String table) {
        List<String> statements = new ArrayList<>();
        if (!indexes.isEmpty()) {
            statements.add("ALTER TABLE " + Identifiers.quote(table) + " " + String.join(", ", indexes));
        }
        for (String index : fulltext) {
            statements.add("ALTER TABLE " + Identifiers.quote(table) + " " + index);
        }
        return statements;
    }

    /** The statement that adds the deferred foreign keys of {@code table}, or null when it has none. */
    public String foreignKeyStatement(String table) {
        return foreignKeys.isEmpty() ? null : "ALTER TABLE " + Identifiers.quote(table) + " " + String.join(", ", foreignKeys);
    }

    /**
     * Whether two {@code SHOW CREATE TABLE} texts define the same table: the same definitions (in any order, since
     * a server lists indexes added later after the others) and the same options, AUTO_INCREMENT aside.
     */
    public static boolean sameDefinition(String a, String b) {
        return normalized(a).equals(normalized(b));
    }

    private static TreeSet<String> normalized(String ddl) {
        TreeSet<String> lines = new TreeSet<>();
        for (String line : ddl.strip().split("\n")) {
            String l = AUTO_INCREMENT.matcher(line.strip()).replaceAll("");
            lines.add(l.endsWith(",") ? l.substring(0, l.length() - 1) : l);
        }
        return lines;
    }
}
