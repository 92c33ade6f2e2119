package io.restorepoint.engine.imports;

import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.sql.SqlText;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one JSON value of an import document into an SQL literal for its column, or refuses it with a
 * message naming the table and column. Values are checked against the column's type, range, length and
 * nullability here, because {@code INSERT IGNORE} would otherwise quietly truncate or replace them: the
 * only thing the import may ignore is a row whose key already exists. The accepted forms are those the
 * export writes (see the README), plus numbers given as numeric strings. Never accepted: a boolean for a
 * number, text that is not valid Unicode (a lone or reversed surrogate escape such as {@code "\ud800"}),
 * a value the server would not store as given (0, NULL on an AUTO_INCREMENT column: the server would number
 * the row itself, so a repeated import would add it again), a number out of the column's range.
 */
final class ValueCoercer {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d{1,9}))?(Z|[+-]00:?00)?");
    private static final Pattern TIME = Pattern.compile("-?\\d{1,3}:\\d{2}:\\d{2}(?:\\.(\\d{1,6}))?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,40}");
    private static final Pattern ENUM_VALUES = Pattern.compile("'((?:[^']|'')*)'");
    private static final Map<String, BigInteger[]> INTEGER_RANGES = Map.of(
            "tinyint", range(8), "smallint", range(16), "mediumint", range(24), "int", range(32), "integer", range(32),
            "bigint", range(64));

    private final ObjectMapper json;
    private final boolean zeroIsAValue;

    /**
     * @param zeroIsAValue the import session's sql_mode has NO_AUTO_VALUE_ON_ZERO: 0 is stored as 0 in an
     *                     AUTO_INCREMENT column instead of taking the next number
     */
    ValueCoercer(ObjectMapper json, boolean zeroIsAValue) {
        this.json = json;
        this.zeroIsAValue = zeroIsAValue;
    }

    private static BigInteger[] range(int bits) {
        return new BigInteger[] {BigInteger.ONE.shiftLeft(bits - 1).negate(), BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)};
    }

    /** Writes the literal of the parser's current value (the parser is on the value's first token). */
    void literal(String table, ColumnInfo column, JsonParser p, SqlText out) {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            if (column.autoIncrement()) {
                throw invalid(table, column, AUTO_NUMBERED + "null");
            }
            if (!column.nullable()) {
                throw invalid(table, column, "may not be null");
            }
            out.nullValue();
            return;
        }
        String type = column.dataType();
        if (type.equals("json")) {
            JsonNode value = json.readTree(p);
            if (!wellFormed(value)) {
                throw notUnicode(table, column);
            }
            out.quoted(json.writeValueAsBytes(value));
            return;
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            throw invalid(table, column, "must be a single value, not an " + (token == JsonToken.START_OBJECT ? "object" : "array"));
        }
        switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" -> integer(table, column, p, token, out);
            case "decimal", "numeric" -> decimal(table, column, p, token, out);
            case "float", "double", "real" -> {
                if (!token.isNumeric()) {
                    throw invalid(table, column, "must be a number");
                }
                double value = Double.parseDouble(p.getString());
                double max = type.equals("float") && (column.precision() == null || column.precision() <= 24) ? Float.MAX_VALUE : Double.MAX_VALUE;
                if (Double.isInfinite(value) || Math.abs(value) > max) {
                    throw invalid(table, column, "must be a number from -" + max + " to " + max);
                }
                out.append(p.getString());
            }
            case "year" -> {
                BigInteger year = integerValue(table, column, p, token);
                if (year.signum() != 0 && (year.intValue() < 1901 || year.intValue() > 2155)) {
                    throw invalid(table, column, "must be a year from 1901 to 2155");
                }
                out.append(year.toString());
            }
            case "bit" -> {
                BigInteger bits = integerValue(table, column, p, token);
                int width = column.precision() == null ? 64 : column.precision();
                if (bits.signum() < 0 || bits.bitLength() > width) {
                    throw invalid(table, column, "must be a number from 0 to 2^" + width + " - 1");
                }
                out.append(bits.toString());
            }
            case "date" -> out.quoted(date(table, column, text(table, column, p, token)));
            case "datetime", "timestamp" -> {
                byte[] value = dateTime(table, column, text(table, column, p, token));
                if (type.equals("timestamp")) {
                    String text = new String(value, StandardCharsets.US_ASCII);
                    if (text.compareTo("1970-01-01 00:00:01") < 0 || text.compareTo("2038-01-19 03:14:07.999999") > 0) {
                        throw invalid(table, column, "must lie between 1970-01-01T00:00:01Z and 2038-01-19T03:14:07Z (a TIMESTAMP)");
                    }
                }
                out.quoted(value);
            }
            case "time" -> {
                String value = text(table, column, p, token);
                Matcher time = TIME.matcher(value);
                if (!time.matches() || Integer.parseInt(value.replace("-", "").split(":")[1]) > 59
                        || Integer.parseInt(value.split(":")[2].substring(0, 2)) > 59) {
                    throw invalid(table, column, "must be a time like \"14:30:00\"");
                }
                out.quoted(value.getBytes(StandardCharsets.US_ASCII));
            }
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> {
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(text(table, column, p, token));
                } catch (IllegalArgumentException e) {
                    throw invalid(table, column, "must be base64-encoded binary data");
                }
                if (column.maxBytes() != null && bytes.length > column.maxBytes()) {
                    throw invalid(table, column, "holds at most " + column.maxBytes() + " bytes, got " + bytes.length);
                }
                out.hex(bytes);
            }
            case "enum" -> {
                String value = text(table, column, p, token);
                if (!allowed(column).contains(value)) {
                    throw invalid(table, column, "must be one of " + allowed(column));
                }
                out.quoted(value.getBytes(StandardCharsets.UTF_8));
            }
            case "set" -> {
                String value = text(table, column, p, token);
                List<String> allowed = allowed(column);
                for (String part : value.isEmpty() ? new String[0] : value.split(",", -1)) {
                    if (!allowed.contains(part)) {
                        throw invalid(table, column, "must be a comma-separated subset of " + allowed);
                    }
                }
                out.quoted(value.getBytes(StandardCharsets.UTF_8));
            }
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext" -> {
                String value = text(table, column, p, token);
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                if (column.maxChars() != null && value.codePointCount(0, value.length()) > column.maxChars()) {
                    throw invalid(table, column, "holds at most " + column.maxChars() + " characters");
                }
                if (column.maxBytes() != null && bytes.length > column.maxBytes()) {
                    throw invalid(table, column, "holds at most " + column.maxBytes() + " bytes");
                }
                out.quoted(bytes);
            }
            default -> throw invalid(table, column, "has type " + column.columnType() + ", which import does not support");
        }
    }

    private void integer(String table, ColumnInfo column, JsonParser p, JsonToken token, SqlText out) {
        BigInteger value = integerValue(table, column, p, token);
        if (column.autoIncrement() && value.signum() == 0 && !zeroIsAValue) {
            throw invalid(table, column, AUTO_NUMBERED + "0");
        }
        BigInteger[] range = INTEGER_RANGES.get(column.dataType());
        BigInteger min = column.unsigned() ? BigInteger.ZERO : range[0];
        BigInteger max = column.unsigned() ? range[2] : range[1];
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(table, column, "must be a whole number from " + min + " to " + max);
        }
        out.append(value.toString());
    }

    private BigInteger integerValue(String table, ColumnInfo column, JsonParser p, JsonToken token) {
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            throw invalid(table, column, "must be a whole number, not " + token.asString() + " (a boolean is not a number)");
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return p.getBigIntegerValue();
        }
        if (token == JsonToken.VALUE_STRING && INTEGER.matcher(p.getString()).matches()) {
            return new BigInteger(p.getString());
        }
        throw invalid(table, column, "must be a whole number");
    }

    private void decimal(String table, ColumnInfo column, JsonParser p, JsonToken token, SqlText out) {
        BigDecimal value;
        try {
            if (token.isNumeric()) {
                value = new BigDecimal(p.getString());
            } else if (token == JsonToken.VALUE_STRING && p.getString().length() <= 80) {
                value = new BigDecimal(p.getString());
            } else {
                throw invalid(table, column, "must be a number");
            }
        } catch (NumberFormatException e) {
            throw invalid(table, column, "must be a number");
        }
        int precision = column.precision() == null ? 65 : column.precision();
        int scale = column.scale() == null ? 0 : column.scale();
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > scale) {
            throw invalid(table, column, "has at most " + scale + " digits after the decimal point");
        }
        // digits before the point, from precision and scale alone: 1e1000000000 must not be expanded
        long integerDigits = stripped.signum() == 0 ? 0 : (long) stripped.precision() - stripped.scale();
        if (integerDigits > precision - scale) {
            throw invalid(table, column, "has at most " + (precision - scale) + " digits before the decimal point");
        }
        out.append(stripped.toPlainString());
    }

    private static String text(String table, ColumnInfo column, JsonParser p, JsonToken token) {
        if (token != JsonToken.VALUE_STRING) {
            throw invalid(table, column, "must be a string");
        }
        String value = p.getString();
        if (!wellFormed(value)) {
            throw notUnicode(table, column);
        }
        return value;
    }

    private static final String NOT_UNICODE = "is not valid Unicode text (a lone or reversed surrogate escape such as \\ud800)";
    private static final String AUTO_NUMBERED = "must be the row's own key: the column is AUTO_INCREMENT, so the server "
            + "would give the row a new number and importing the document again would add it twice; got ";

    /** Every surrogate is half of a pair, high then low: the string is a sequence of Unicode scalar values. */
    static boolean wellFormed(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean wellFormed(JsonNode node) {
        if (node.isString()) {
            return wellFormed(node.asString());
        }
        if (node.isObject()) {
            for (var e : node.properties()) {
                if (!wellFormed(e.getKey()) || !wellFormed(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        for (JsonNode child : node) {
            if (!wellFormed(child)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] date(String table, ColumnInfo column, String value) {
        if (DATE.matcher(value).matches() && realDate(value)) {
            return value.getBytes(StandardCharsets.US_ASCII);
        }
        Matcher m = DATE_TIME.matcher(value);
        if (m.matches() && realDate(m.group(1)) && m.group(2).equals("00:00:00") && (m.group(3) == null || m.group(3).matches("0+"))) {
            return m.group(1).getBytes(StandardCharsets.US_ASCII);
        }
        throw invalid(table, column, "must be a date like \"2024-03-15\"");
    }

    /** A calendar date MySQL can store (year 1000 to 9999); zero dates are refused. */
    private static boolean realDate(String value) {
        try {
            java.time.LocalDate date = java.time.LocalDate.parse(value);
            return date.getYear() >= 1000 && date.getYear() <= 9999;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static boolean realTime(String value) {
        try {
            java.time.LocalTime.parse(value);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static byte[] dateTime(String table, ColumnInfo column, String value) {
        if (DATE.matcher(value).matches() && realDate(value)) {
            return (value + " 00:00:00").getBytes(StandardCharsets.US_ASCII);
        }
        Matcher m = DATE_TIME.matcher(value);
        if (!m.matches() || !realDate(m.group(1)) || !realTime(m.group(2))) {
            throw invalid(table, column, "must be a UTC date and time like \"2024-03-15T14:30:00.000Z\"");
        }
        String fraction = m.group(3) == null ? "" : m.group(3);
        int precision = column.scale() == null ? 0 : column.scale();
        if (fraction.length() > precision && !fraction.substring(precision).matches("0*")) {
            throw invalid(table, column, "keeps " + precision + " fraction digits of a second; the value has more");
        }
        String kept = fraction.substring(0, Math.min(precision, fraction.length()));
        return (m.group(1) + " " + m.group(2) + (kept.isEmpty() ? "" : "." + kept)).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> allowed(ColumnInfo column) {
        List<String> values = new ArrayList<>();
        Matcher m = ENUM_VALUES.matcher(column.columnType());
        while (m.find()) {
            values.add(m.group(1).replace("''", "'"));
        }
        return values;
    }

    /** Not a value of the wrong kind but text that is not text: the document is malformed (400). */
    private static ImportDocumentException notUnicode(String table, ColumnInfo column) {
        return new ImportDocumentException(400, "table " + table + ", column " + column.name() + ": the value " + NOT_UNICODE,
                Map.of("table", table, "column", column.name()));
    }

    private static ImportDocumentException invalid(String table, ColumnInfo column, String problem) {
        return ImportDocumentException.invalid("table " + table + ", column " + column.name() + ": the value " + problem,
                Map.of("table", table, "column", column.name()));
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
