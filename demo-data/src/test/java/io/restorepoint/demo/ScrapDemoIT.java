package io.restorepoint.demo;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ScrapDemoIT {

    @Test
    void createsTheSeedTablesWithRealisticValues() {
        String db = SharedInfra.freshDatabase("scrap");
        var factory = SharedInfra.database().connectionFactory(db);
        ScrapDemo.install(factory, 250_001);

        List<Map<String, Object>> tables = Sql.query(factory,
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + db + "'");
        assertThat(tables.stream().map(r -> (String) r.values().iterator().next()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(ScrapDemo.TABLES);
        assertThat(count(factory, "pesaje")).isEqualTo(250_001);
        assertThat(count(factory, "auditoria")).isEqualTo(250_001);
        assertThat(count(factory, "areas")).isEqualTo(15);
        assertThat(count(factory, "catnp")).isEqualTo(234);
        assertThat(count(factory, "usuarios")).isEqualTo(25);
        assertThat(count(factory, "sesiones")).isEqualTo(12);
        assertThat(Sql.scalar(factory, "SELECT COUNT(*) FROM pesaje WHERE comentario IS NULL")).isNotEqualTo(0L);
        assertThat(Sql.scalar(factory, "SELECT COUNT(*) FROM pesaje WHERE comentario = ''")).isNotEqualTo(0L);
        assertThat((String) Sql.scalar(factory, "SELECT contra FROM usuarios WHERE gafete = 'admin'"))
                .startsWith("$2a$10$").hasSize(60);
        assertThat((String) Sql.scalar(factory, "SELECT AREA FROM areas WHERE id = 5")).isEqualTo("Inyección");
        // every foreign key holds
        assertThat(Sql.scalar(factory, "SELECT COUNT(*) FROM pesaje p LEFT JOIN usuarios u ON u.id = p.usuario_id "
                + "WHERE u.id IS NULL")).isEqualTo(0L);
        assertThat((String) Sql.scalar(factory, "SELECT JSON_EXTRACT(detalle, '$.campo') FROM auditoria WHERE id = 1"))
                .isEqualTo("\"COSTO\"");
    }

    @Test
    void generatesTheSameDataEveryTime() {
        String a = SharedInfra.freshDatabase("scrap_a");
        String b = SharedInfra.freshDatabase("scrap_b");
        ScrapDemo.install(SharedInfra.database().connectionFactory(a), 500);
        ScrapDemo.install(SharedInfra.database().connectionFactory(b), 500);
        var factory = SharedInfra.database().connectionFactory(a);
        for (String table : ScrapDemo.TABLES) {
            Object left = Sql.query(factory, "CHECKSUM TABLE " + a + "." + table).get(0).get("Checksum");
            Object right = Sql.query(factory, "CHECKSUM TABLE " + b + "." + table).get(0).get("Checksum");
            assertThat(left).as(table).isEqualTo(right);
        }
    }

    private static long count(io.r2dbc.spi.ConnectionFactory factory, String table) {
        return ((Number) Sql.scalar(factory, "SELECT COUNT(*) FROM " + table)).longValue();
    }
}
