package io.restorepoint.engine.imports;

import java.util.List;

/**
 * A validated import document, staged as statements for a worker ({@code imports/<job>/} in the staging
 * area).
 *
 * @param version        the document's format version
 * @param tables         the tables to load, parents first, with their rows and statement file
 * @param skippedTables  tables of the document left out on purpose (the session table), with their rows
 */
public record StagedImport(String version, List<Table> tables, List<Table> skippedTables) {

    public static final String SUMMARY = "import.json";
    public static final String RESULT = "result.json";

    /** One table: its name, the rows the document holds for it, and where its statements are. */
    public record Table(String name, long rows, String file) {
    }

    public long rows() {
        return tables.stream().mapToLong(Table::rows).sum();
    }
}
