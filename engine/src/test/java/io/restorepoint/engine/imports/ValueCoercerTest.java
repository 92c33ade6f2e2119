package io.restorepoint.engine.imports;

import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.sql.SqlText;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values no column may take, whatever the table: what the import tests of the demo schema cannot reach. */
class ValueCoercerTest {

    private static final ColumnInfo JSON = new ColumnInfo("doc", "json", "json", true, false);
    private static final ColumnInfo DOUBLE = new ColumnInfo("d", "double", "double", true, false);
    private static final ColumnInfo FLOAT = new ColumnInfo("f", "float", "float", true, false);

    private static String literal(ColumnInfo column, String value, boolean zeroIsAValue) {
        try {
            return render(column, value, zeroIsAValue);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String render(ColumnInfo column, String value, boolean zeroIsAValue) throws java.io.IOException {
        try (JsonParser p = new JsonFactory().createParser(ObjectReadContext.empty(), value)) {
            p.nextToken();
            SqlText out = new SqlText(64);
            new ValueCoercer(JsonMapper.builder().build(), zeroIsAValue).literal("t", column, p, out);
            var bytes = new java.io.ByteArrayOutputStream();
            out.writeTo(bytes);
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static String literal(ColumnInfo column, String value) {
        return literal(column, value, false);
    }

    @Test
    void aJsonValueWithALoneSurrogateAnywhereIsNotUnicode() {
        for (String value : new String[] {"{\"a\\ud800\":1}", "{\"a\":[\"x\\udc00\"]}", "[[\"\\udc00\\ud800\"]]", "\"\\ud800\""}) {
            assertThatThrownBy(() -> literal(JSON, value)).as(value)
                    .isInstanceOfSatisfying(ImportDocumentException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("table t, column doc", "not valid Unicode");
                    });
        }
        assertThat(literal(JSON, "{\"a\":[\"\\ud83d\\ude00\"]}")).contains("\uD83D\uDE00");
    }

    @Test
    void floatingPointNumbersOutOfRangeAreRefusedNotPassedToTheServer() {
        assertThat(literal(DOUBLE, "1.5e300")).isEqualTo("1.5e300");
        for (String value : new String[] {"1e1000000000", "-1e309", "1e309"}) {
            assertThatThrownBy(() -> literal(DOUBLE, value)).as(value).isInstanceOf(ImportDocumentException.class)
                    .hasMessageContaining("column d");
        }
        assertThatThrownBy(() -> literal(FLOAT, "1e39")).isInstanceOf(ImportDocumentException.class);
        assertThat(literal(FLOAT, "3.0e38")).isEqualTo("3.0e38");
    }

    @Test
    void zeroOnAnAutoIncrementKeyIsAValueOnlyWhenTheSessionSaysSo() {
        ColumnInfo id = new ColumnInfo("id", "int", "int", false, false, null, null, 10, 0, false, true);
        assertThatThrownBy(() -> literal(id, "0")).hasMessageContaining("AUTO_INCREMENT");
        assertThat(literal(id, "0", true)).isEqualTo("0");
        assertThatThrownBy(() -> literal(id, "null", true)).as("NULL is numbered even then").hasMessageContaining("AUTO_INCREMENT");
        assertThat(literal(id, "7")).isEqualTo("7");
    }
}
