package io.restorepoint.engine.sql;

/**
 * A column value exactly as the server sent it over the text protocol: digits for numbers, the
 * server's own formatting for temporal values, utf8mb4 bytes for text, raw bytes for binary columns.
 * Decoding to this type skips every Java conversion, which is both the fastest and the only exact way
 * to carry a value from one server to another.
 */
public record RawBytes(byte[] bytes) {
}
