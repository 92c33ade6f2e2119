package io.restorepoint.engine.schema;

/**
 * One column as the catalog describes it.
 *
 * @param name        column name
 * @param dataType    the bare type ({@code decimal})
 * @param columnType  the full type ({@code decimal(12,2) unsigned}, {@code enum('a','b')})
 * @param nullable    whether NULL is allowed
 * @param generated   a generated (virtual/stored) column: part of the DDL, never of the data
 * @param maxChars    character length of text columns (null for others)
 * @param maxBytes    byte length of text and binary columns (null for others)
 * @param precision   digits of numeric columns (null for others)
 * @param scale       digits after the point of DECIMAL columns, fraction digits of temporal ones
 * @param required    a row must give a value: NOT NULL, no default, not AUTO_INCREMENT, not generated
 * @param autoIncrement the server numbers rows whose value is NULL, missing (or 0, unless the session's
 *                    sql_mode has NO_AUTO_VALUE_ON_ZERO)
 */
public record ColumnInfo(String name, String dataType, String columnType, boolean nullable, boolean generated,
        Long maxChars, Long maxBytes, Integer precision, Integer scale, boolean required, boolean autoIncrement) {

    /** A column without length details (generated queries, tests). */
    public ColumnInfo(String name, String dataType, String columnType, boolean nullable, boolean generated) {
        this(name, dataType, columnType, nullable, generated, null, null, null, null, false, false);
    }

    public ValueKind kind() {
        return ValueKind.of(dataType);
    }

    public boolean unsigned() {
        return columnType.toLowerCase(java.util.Locale.ROOT).contains("unsigned");
    }
}
