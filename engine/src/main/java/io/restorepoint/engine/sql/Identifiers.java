package io.restorepoint.engine.sql;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Identifier quoting. Names read from the server's catalog are quoted with backticks (doubling any
 * backtick inside), so every table name MySQL allows is handled; names that come from users are
 * checked against the catalog before they get here.
 */
public final class Identifiers {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_$]{1,64}");

    private Identifiers() {
    }

    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.length() > 64) {
            throw new IllegalArgumentException("invalid identifier: " + identifier);
        }
        return '`' + identifier.replace("`", "``") + '`';
    }

    public static String quote(String schema, String table) {
        return quote(schema) + '.' + quote(table);
    }

    public static String columnList(List<String> columns) {
        return columns.stream().map(Identifiers::quote).collect(Collectors.joining(","));
    }

    /** True for names made only of letters, digits, {@code _} and {@code $}. */
    public static boolean isPlain(String identifier) {
        return identifier != null && PLAIN.matcher(identifier).matches();
    }

    /** A single-quoted SQL string literal for a catalog name in a WHERE clause. */
    public static String stringLiteral(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> out.append("''");
                case '\\' -> out.append("\\\\");
                case '\0' -> out.append("\\0");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
