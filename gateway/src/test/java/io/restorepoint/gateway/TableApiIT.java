package io.restorepoint.gateway;

import io.restorepoint.demo.ScrapDemo;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import io.restorepoint.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scrap-tracking table API on the demo database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TableApiIT {

    static final String DATABASE = SharedInfra.freshDatabase("tables");

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        ScrapDemo.install(SharedInfra.database().connectionFactory(DATABASE), 3_000);
        StackProperties.forService(SharedInfra.freshDatabase("gw_tables")).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("restorepoint.gateway.bootstrap-projects[0].id", () -> "scrap");
        registry.add("restorepoint.gateway.bootstrap-projects[0].database", () -> DATABASE);
        registry.add("restorepoint.gateway.bootstrap-projects[0].owner", () -> "root");
        registry.add("RP_DEFAULT_PROJECT", () -> "scrap");
        registry.add("RP_STORE_DIR", () -> SharedInfra.dir().resolve("gw-store").toString());
        registry.add("RP_IMPORT_MAX_BYTES", () -> "4MB");
    }

    @LocalServerPort
    int port;

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(60))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(64 << 20)).build();
    }

    @Test
    void exportStreamsEveryTableButSessionsAsADownload() {
        var result = http().get().uri("/api/backup/export")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.admin("root"))
                .exchange().expectStatus().isOk()
                .expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"restorepoint-scrap-\\d{8}-\\d{6}\\.json\"")
                .expectBody(byte[].class).returnResult();
        JsonNode doc = JsonMapper.builder().build().readTree(result.getResponseBody());
        List<String> tables = new ArrayList<>(doc.get("data").propertyNames());
        assertThat(tables).containsExactlyInAnyOrderElementsOf(
                ScrapDemo.TABLES.stream().filter(t -> !t.equals("sesiones")).toList());
        assertThat(tables.indexOf("areas")).isLessThan(tables.indexOf("lineas"));
        assertThat(tables.indexOf("usuarios")).isLessThan(tables.indexOf("pesaje"));
        var db = SharedInfra.database().connectionFactory(DATABASE);
        for (String table : tables) {
            long rows = ((Number) Sql.scalar(db, "SELECT COUNT(*) FROM " + table)).longValue();
            assertThat((long) doc.get("data").get(table).size()).as(table).isEqualTo(rows);
            assertThat(doc.get("counts").get(table).asLong()).isEqualTo(rows);
        }
        JsonNode admin = doc.get("data").get("usuarios").get(0);
        assertThat(admin.get("gafete").asString()).isEqualTo("admin");
        assertThat(admin.get("contra").asString()).as("password hashes stay hashed").startsWith("$2a$10$");
        JsonNode pesaje = doc.get("data").get("pesaje").get(0);
        assertThat(pesaje.get("FECHA_REGISTRO").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(pesaje.get("COSTO").isNumber()).isTrue();
    }

    @Test
    void statsCountEveryTableExactlyWithTheSizeAsAString() {
        JsonNode body = http().get().uri("/api/backup/stats").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.admin("root"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(body.get("tables").get("pesaje").asLong()).isEqualTo(3000);
        assertThat(body.get("tables").get("sesiones").asLong()).as("stats include the session table").isEqualTo(12);
        assertThat(body.get("tables").size()).isEqualTo(14);
        assertThat(body.get("database_size_mb").asString()).matches("\\d+\\.\\d{2}");
        assertThat(body.get("timestamp").asString()).endsWith("Z");
    }

    @Test
    void hostileImportDocumentsAreRefusedWithReadableMessagesAndChangeNothing() {
        byte[] valid = http().get().uri("/api/backup/export").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.admin("root"))
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        String doc = new String(valid, java.nio.charset.StandardCharsets.UTF_8);
        var db = SharedInfra.database().connectionFactory(DATABASE);
        String before = checksum(db);

        List<String> payloads = new ArrayList<>();
        // truncated and malformed JSON
        for (int i = 1; i <= 25; i++) {
            payloads.add(doc.substring(0, doc.length() * i / 26));
        }
        payloads.addAll(List.of("", " ", "null", "true", "42", "\"text\"", "[]", "[{}]", "{", "}", "{]", "{\"version\":}", "\uFEFF{}",
                "{'version':'2.0'}", "{\"version\":\"2.0\",\"data\":{}}}", "{\"version\":\"2.0\",\"data\":{}} {}", "<xml/>",
                "{\"version\":\"2.0\" \"data\":{}}", "{\"version\":\"2.0\",,\"data\":{}}", "{\"version\":NaN,\"data\":{}}"));
        // version
        for (String version : List.of("\"1.0\"", "\"2.1\"", "\"2\"", "\"\"", "null", "[]", "{}", "true", "\"2.0; DROP TABLE areas\"")) {
            payloads.add("{\"version\":" + version + ",\"data\":{}}");
        }
        payloads.add("{\"data\":{}}");
        payloads.add("{\"version\":\"2.0\"}");
        // the shape of data
        for (String data : List.of("[]", "\"x\"", "null", "42", "{\"areas\":{}}", "{\"areas\":\"x\"}", "{\"areas\":[1]}",
                "{\"areas\":[null]}", "{\"areas\":[[]]}", "{\"areas\":[],\"areas\":[]}")) {
            payloads.add("{\"version\":\"2.0\",\"data\":" + data + "}");
        }
        // unknown tables and hostile identifiers
        for (String table : List.of("nope", "areas`", "`areas`", "areas; DROP TABLE areas", "areas' OR '1'='1", "../areas",
                "information_schema.tables", "mysql.user", "AREAS_", "\\u0000areas", "sesiones2", "x".repeat(300))) {
            payloads.add("{\"version\":\"2.0\",\"data\":{\"" + table.replace("\"", "\\\"") + "\":[]}}");
        }
        // unknown or hostile columns
        for (String column : List.of("nope", "id`", "id; DROP TABLE areas", "AREA' , 'x') --", "`AREA`", "id\\u0000", "ID ", "")) {
            payloads.add("{\"version\":\"2.0\",\"data\":{\"areas\":[{\"id\":90001,\"AREA\":\"z\",\"" + column + "\":1}]}}");
        }
        // values that do not fit their columns
        String[][] values = {
                {"areas", "id", "\"x\""}, {"areas", "id", "1.5"}, {"areas", "id", "2147483648"}, {"areas", "id", "-2147483649"},
                {"areas", "id", "{}"}, {"areas", "id", "[1]"}, {"areas", "AREA", "5"}, {"areas", "AREA", "null"},
                {"areas", "AREA", "\"" + "a".repeat(101) + "\""}, {"areas", "AREA", "[\"a\"]"}, {"areas", "activo", "300"},
                {"areas", "activo", "\"yes\""}, {"pesaje", "COSTO", "\"abc\""}, {"pesaje", "COSTO", "1e30"},
                {"pesaje", "COSTO", "1.234"}, {"pesaje", "COSTO", "12345678901.5"}, {"pesaje", "FECHA_REGISTRO", "\"yesterday\""},
                {"pesaje", "FECHA_REGISTRO", "\"2024-13-45T00:00:00.000Z\""}, {"pesaje", "FECHA_REGISTRO", "\"2024-02-30T10:00:00Z\""},
                {"pesaje", "FECHA_REGISTRO", "\"2024-03-15T25:00:00Z\""}, {"pesaje", "FECHA_REGISTRO", "\"2024-03-15T10:00:00.1234Z\""},
                {"pesaje", "FECHA_REGISTRO", "\"2024-03-15T10:00:00+02:00\""}, {"pesaje", "FECHA_REGISTRO", "1710000000"},
                {"pesaje", "CANTIDAD", "\"many\""}, {"pesaje", "PESO", "1234567.5"}, {"turnos", "hora_inicio", "\"25:99:00\""},
                {"turnos", "hora_inicio", "\"noon\""}, {"usuarios", "gafete", "\"" + "g".repeat(21) + "\""},
                {"usuarios", "contra", "null"}, {"usuarios", "creado", "\"0000-00-00 00:00:00\""},
                {"catnp", "NP", "{\"a\":{\"b\":{\"c\":[1,2,3]}}}"}, {"roles", "id", "true false"},
                {"auditoria", "fecha", "\"1969-12-31T23:59:59Z\""}, {"cadenas", "CADENA", "\"" + "c".repeat(5000) + "\""},
        };
        for (String[] v : values) {
            payloads.add("{\"version\":\"2.0\",\"data\":{\"" + v[0] + "\":[{\"" + v[1] + "\":" + v[2] + "}]}}");
        }
        // deeply nested values
        payloads.add("{\"version\":\"2.0\",\"data\":{\"areas\":[{\"id\":" + "[".repeat(100) + "]".repeat(100) + "}]}}");
        payloads.add("{\"version\":\"2.0\",\"extra\":" + "{\"a\":".repeat(300) + "1" + "}".repeat(300) + ",\"data\":{}}");
        // a valid document whose last row is bad: nothing of the rest may be written
        payloads.add(doc.replace("\"sesiones\"", "\"sesiones\"").replaceFirst("\"AREA\":\"Ensamble\"", "\"AREA\":null"));

        int[] statuses = new int[600];
        for (String payload : payloads) {
            var result = http().post().uri("/api/backup/import").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.admin("root"))
                    .header("Prefer", "respond-async")
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(payload)
                    .exchange().expectBody(JsonNode.class).returnResult();
            int status = result.getStatus().value();
            statuses[status]++;
            JsonNode body = result.getResponseBody();
            String shown = payload.length() > 120 ? payload.substring(0, 120) + "…" : payload;
            assertThat(status).as("status for %s", shown).isBetween(400, 499);
            assertThat(body.get("success").asBoolean()).as(shown).isFalse();
            assertThat(body.get("data").isEmpty()).as(shown).isTrue();
            String message = body.get("result").get("message").asString();
            assertThat(message).as("a readable message for %s", shown).hasSizeGreaterThan(12).doesNotContain("Exception").doesNotContain("INSERT");
        }
        // an oversized body and a wrong content type
        String big = "{\"version\":\"2.0\",\"pad\":\"" + "x".repeat(5 << 20) + "\",\"data\":{}}";
        http().post().uri("/api/backup/import").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.admin("root"))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(big)
                .exchange().expectStatus().isEqualTo(413);
        http().post().uri("/api/backup/import").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.admin("root"))
                .contentType(org.springframework.http.MediaType.TEXT_PLAIN).bodyValue(doc)
                .exchange().expectStatus().isEqualTo(415);
        http().post().uri("/api/backup/import").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("root"))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(doc)
                .exchange().expectStatus().isForbidden();

        assertThat(payloads.size()).as("hostile payloads").isGreaterThanOrEqualTo(100);
        assertThat(statuses[500]).isZero();
        assertThat(checksum(db)).as("the database is unchanged").isEqualTo(before);
        System.out.printf("hostile import suite: %d payloads, 400: %d, 413: %d, 415: %d, 422: %d%n", payloads.size() + 3,
                statuses[400], statuses[413], statuses[415], statuses[422]);
    }

    private static String checksum(io.r2dbc.spi.ConnectionFactory db) {
        StringBuilder out = new StringBuilder();
        for (String table : ScrapDemo.TABLES) {
            out.append(table).append('=').append(Sql.query(db, "CHECKSUM TABLE " + table).get(0).get("Checksum")).append(';');
        }
        return out.toString();
    }

    @Test
    void exportIsForAdminsOnly() {
        JsonNode body = http().get().uri("/api/backup/export")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("root"))
                .exchange().expectStatus().isForbidden().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(body.get("result").get("code").asInt()).isEqualTo(403);
        http().get().uri("/api/backup/export").exchange().expectStatus().isUnauthorized();
    }
}
