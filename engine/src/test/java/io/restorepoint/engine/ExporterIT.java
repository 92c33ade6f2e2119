package io.restorepoint.engine;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.export.Exporter;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExporterIT {

    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @Test
    void exportsEveryTableAsTheSeedDocumentParentsFirstWithExactValues() {
        String db = SharedInfra.freshDatabase("export");
        Sql.execute(EngineFixtures.database(db),
                "SET SESSION time_zone = '+00:00'",
                "CREATE TABLE zz_parent (id INT PRIMARY KEY, name VARCHAR(20))",
                "CREATE TABLE aa_child (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) REFERENCES zz_parent (id))",
                """
                CREATE TABLE pesaje (ID BIGINT PRIMARY KEY, AREA VARCHAR(100), COSTO DECIMAL(30,10), FECHA_REGISTRO DATETIME(3),
                  ts TIMESTAMP(6) NULL, d DATE, t TIME, flag BIT(1), bits BIT(10), raw VARBINARY(10), doc JSON,
                  note TEXT, big BIGINT UNSIGNED, f DOUBLE)""",
                """
                INSERT INTO pesaje VALUES
                 (1, 'Inyección "A"\\\\b\\n', 12345678901234567890.0123456789, '2024-03-15 14:30:00.000', '2024-03-15 14:30:00.123456',
                  '2024-03-15', '14:30:00', b'1', b'1000000001', 0x00FF10, '{"a": [1, 2.5]}', '', 18446744073709551615, 0.1),
                 (2, NULL, -0.5, '2024-01-01 00:00:00', NULL, NULL, NULL, b'0', b'0', X'', NULL, NULL, 0, NULL)""",
                "INSERT INTO zz_parent VALUES (1, 'p')", "INSERT INTO aa_child VALUES (1, 1)",
                "CREATE TABLE sesiones (id INT PRIMARY KEY)", "INSERT INTO sesiones VALUES (1)");

        List<byte[]> pieces = new Exporter(EngineFixtures.endpoint().connectionFactory(null))
                .export("p", db, Set.of("sesiones")).collectList().block(Duration.ofMinutes(1));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        pieces.forEach(all::writeBytes);
        JsonNode doc = JSON.readTree(all.toByteArray());

        assertThat(doc.get("version").asString()).isEqualTo("2.0");
        assertThat(doc.get("server").asString()).isEqualTo("restorepoint");
        assertThat(doc.get("exportDate").asString()).endsWith("Z");
        List<String> order = new ArrayList<>(doc.get("data").propertyNames());
        assertThat(order).doesNotContain("sesiones");
        assertThat(order.indexOf("zz_parent")).as("parents first").isLessThan(order.indexOf("aa_child"));
        assertThat(doc.get("counts").get("pesaje").asInt()).isEqualTo(2);

        JsonNode row = doc.get("data").get("pesaje").get(0);
        assertThat(row.get("ID").asLong()).isEqualTo(1);
        assertThat(row.get("AREA").asString()).isEqualTo("Inyección \"A\"\\b\n");
        assertThat(row.get("COSTO").decimalValue()).isEqualByComparingTo(new BigDecimal("12345678901234567890.0123456789"));
        assertThat(row.get("FECHA_REGISTRO").asString()).isEqualTo("2024-03-15T14:30:00.000Z");
        assertThat(row.get("ts").asString()).isEqualTo("2024-03-15T14:30:00.123456Z");
        assertThat(row.get("d").asString()).isEqualTo("2024-03-15");
        assertThat(row.get("t").asString()).isEqualTo("14:30:00");
        assertThat(row.get("flag").asInt()).isEqualTo(1);
        assertThat(row.get("bits").asInt()).isEqualTo(513);
        assertThat(Base64.getDecoder().decode(row.get("raw").asString())).containsExactly(0x00, 0xFF, 0x10);
        assertThat(row.get("note").asString()).isEmpty();
        assertThat(row.get("big").bigIntegerValue().toString()).isEqualTo("18446744073709551615");
        assertThat(row.get("f").asDouble()).isEqualTo(0.1);
        JsonNode second = doc.get("data").get("pesaje").get(1);
        assertThat(second.get("AREA").isNull()).isTrue();
        assertThat(second.get("FECHA_REGISTRO").asString()).isEqualTo("2024-01-01T00:00:00.000Z");
        assertThat(second.get("raw").asString()).isEmpty();
        assertThat(second.get("note").isNull()).isTrue();
    }
}
