package io.restorepoint.engine.schema;

import java.util.Locale;
import java.util.Set;

/** How a column's text-protocol value is written as an SQL literal. */
public enum ValueKind {
    /** Numbers: the server's digits, unquoted. */
    NUMBER,
    /** Binary data, BIT and spatial values: a hex literal. */
    BINARY,
    /** Everything else (text, temporal, JSON, ENUM, SET): a quoted, escaped string. */
    TEXT;

    private static final Set<String> NUMERIC = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint", "decimal", "numeric", "float", "double", "real", "year");
    private static final Set<String> BINARY_TYPES = Set.of("bit", "binary", "varbinary", "tinyblob", "blob",
            "mediumblob", "longblob", "geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geometrycollection", "geomcollection", "vector");

    public static ValueKind of(String dataType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (NUMERIC.contains(type)) {
            return NUMBER;
        }
        if (BINARY_TYPES.contains(type)) {
            return BINARY;
        }
        return TEXT;
    }
}
