package io.restorepoint.engine.schema;

import java.util.List;

/**
 * One base table.
 *
 * @param name          table name
 * @param columns       all columns in ordinal order
 * @param primaryKey    primary key columns in key order (empty: no primary key)
 * @param estimatedRows the catalog's row estimate (InnoDB: approximate)
 * @param dataBytes     data + index size from the catalog
 */
public record TableInfo(String name, List<ColumnInfo> columns, List<String> primaryKey, long estimatedRows,
        long dataBytes) {

    /** The columns that carry data: all but generated ones. */
    public List<ColumnInfo> dataColumns() {
        return columns.stream().filter(c -> !c.generated()).toList();
    }
}
