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

    /** One refusal: the document, the status and what the message must say. */
    private record Refusal(String what, byte[] document, int status, String... says) {
    }

    private static byte[] areas(String row) {
        return ("{\"version\":\"2.0\",\"data\":{\"areas\":[" + row + "]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An areas row whose AREA text holds the given raw bytes between "Zona" and the closing quote. */
    private static byte[] areaBytes(int... raw) {
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes("{\"version\":\"2.0\",\"data\":{\"areas\":[{\"id\":90001,\"AREA\":\"Zona".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes("\",\"activo\":1}]}}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] utf8(String document) {
        return document.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void importsThatWouldNotStoreWhatTheDocumentSaysAreRefusedAndChangeNothing() {
        var db = SharedInfra.database().connectionFactory(DATABASE);
        String before = checksum(db);
        String user = "\"id\":90001,\"nombre\":\"Ana\",\"gafete\":\"G99999\",\"rol_id\":1,\"creado\":\"2024-01-01T00:00:00.000Z\"";
        List<Refusal> refusals = List.of(
                // an AUTO_INCREMENT key the server would replace: a repeated import would duplicate the row
                new Refusal("key 0", areas("{\"id\":0,\"AREA\":\"Zona\",\"activo\":1}"), 422, "table areas, column id", "AUTO_INCREMENT", "(row 0)"),
                new Refusal("key -0", areas("{\"id\":-0,\"AREA\":\"Zona\",\"activo\":1}"), 422, "column id", "AUTO_INCREMENT"),
                new Refusal("key \"0\"", areas("{\"id\":\"0\",\"AREA\":\"Zona\",\"activo\":1}"), 422, "column id", "AUTO_INCREMENT"),
                new Refusal("key null", areas("{\"id\":null,\"AREA\":\"Zona\",\"activo\":1}"), 422, "column id", "AUTO_INCREMENT"),
                new Refusal("no key", areas("{\"AREA\":\"Zona\",\"activo\":1}"), 422, "table areas, row 0: column id", "AUTO_INCREMENT"),
                new Refusal("key true", areas("{\"id\":true,\"AREA\":\"Zona\",\"activo\":1}"), 422, "column id", "boolean"),
                new Refusal("boolean for a number", areas("{\"id\":90001,\"AREA\":\"Zona\",\"activo\":true}"), 422, "column activo", "boolean"),
                new Refusal("boolean false for a number", areas("{\"id\":90001,\"AREA\":\"Zona\",\"activo\":false}"), 422, "column activo", "boolean"),
                // text that is not Unicode
                new Refusal("overlong '/'", areaBytes(0xC0, 0xAF), 400, "table areas, row 0, column AREA", "not valid UTF-8"),
                new Refusal("overlong 3-byte", areaBytes(0xE0, 0x80, 0xAF), 400, "table areas, row 0, column AREA", "not valid UTF-8"),
                new Refusal("above U+10FFFF", areaBytes(0xF4, 0x90, 0x80, 0x80), 400, "table areas, row 0, column AREA", "not valid UTF-8"),
                new Refusal("F5 lead byte", areaBytes(0xF5, 0x80, 0x80, 0x80), 400, "table areas, row 0, column AREA", "not valid UTF-8"),
                new Refusal("encoded surrogate", areaBytes(0xED, 0xA0, 0x80), 400, "table areas, row 0, column AREA", "not valid UTF-8"),
                new Refusal("stray continuation", areaBytes(0x80), 400, "table areas, row 0, column AREA", "not valid UTF-8"),
                new Refusal("cut sequence", areaBytes(0xE2, 0x82), 400, "table areas, row 0, column AREA", "not valid UTF-8"),
                new Refusal("lone high surrogate escape", areas("{\"id\":90001,\"AREA\":\"Zona\\ud800\",\"activo\":1}"), 400,
                        "table areas, column AREA", "(row 0)", "not valid Unicode"),
                new Refusal("lone low surrogate escape", areas("{\"id\":90001,\"AREA\":\"\\udc00Zona\",\"activo\":1}"), 400,
                        "table areas, column AREA", "not valid Unicode"),
                new Refusal("reversed surrogates", areas("{\"id\":90001,\"AREA\":\"\\udc00\\ud800\",\"activo\":1}"), 400,
                        "table areas, column AREA", "not valid Unicode"),
                // a member name twice, anywhere
                new Refusal("version twice", utf8("{\"version\":\"2.0\",\"version\":\"2.0\",\"data\":{}}"), 400, "Duplicate", "version"),
                new Refusal("data twice", utf8("{\"version\":\"2.0\",\"data\":{},\"data\":{}}"), 400, "Duplicate", "data"),
                new Refusal("a column twice", areas("{\"id\":90001,\"AREA\":\"Zona\",\"AREA\":\"Otra\",\"activo\":1}"), 400, "Duplicate", "AREA"),
                new Refusal("a name twice deep in an ignored member", utf8("{\"version\":\"2.0\",\"server\":{\"x\":[{\"y\":1,\"y\":2}]},"
                        + "\"data\":{}}"), 400, "Duplicate", "y"),
                new Refusal("a name twice in an ignored member", utf8("{\"version\":\"2.0\",\"server\":{\"x\":1,\"x\":2},\"data\":{}}"), 400, "Duplicate"),
                // the version is a string
                new Refusal("version 2.0 as a number", utf8("{\"version\":2.0,\"data\":{}}"), 400, "version must be a string", "the number 2.0"),
                new Refusal("version 2 as a number", utf8("{\"version\":2,\"data\":{}}"), 400, "version must be a string"),
                // numbers the column cannot hold, however they are written
                new Refusal("1e1000000000", utf8("{\"version\":\"2.0\",\"data\":{\"pesaje\":[{\"ID\":90001,\"COSTO\":1e1000000000}]}}"), 422,
                        "table pesaje, column COSTO", "digits before the decimal point"),
                new Refusal("-1e1000000000", utf8("{\"version\":\"2.0\",\"data\":{\"pesaje\":[{\"ID\":90001,\"COSTO\":-1E+1000000000}]}}"), 422,
                        "table pesaje, column COSTO"),
                new Refusal("\"1e1000000000\"", utf8("{\"version\":\"2.0\",\"data\":{\"pesaje\":[{\"ID\":90001,\"COSTO\":\"1e1000000000\"}]}}"), 422,
                        "table pesaje, column COSTO"),
                new Refusal("1e-1000000000", utf8("{\"version\":\"2.0\",\"data\":{\"pesaje\":[{\"ID\":90001,\"COSTO\":1e-1000000000}]}}"), 422,
                        "table pesaje, column COSTO"),
                // passwords stay hashed
                new Refusal("a plaintext password", areasFree("usuarios", "{" + user + ",\"contra\":\"hunter2-secret\"}"), 422,
                        "table usuarios, column contra", "not a password hash", "(row 0)"),
                new Refusal("a cut bcrypt hash", areasFree("usuarios", "{" + user + ",\"contra\":\"$2a$10$hunter2-secret\"}"), 422,
                        "table usuarios, column contra", "not a password hash"));
        for (Refusal refusal : refusals) {
            var result = http().post().uri("/api/backup/import").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.admin("root"))
                    .header("Prefer", "respond-async")
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(refusal.document())
                    .exchange().expectBody(JsonNode.class).returnResult();
            JsonNode body = result.getResponseBody();
            assertThat(result.getStatus().value()).as("%s: %s", refusal.what(), body).isEqualTo(refusal.status());
            assertThat(body.get("success").asBoolean()).as(refusal.what()).isFalse();
            String message = body.get("result").get("message").asString();
            assertThat(message).as(refusal.what()).contains(refusal.says()).doesNotContain("hunter2");
        }
        assertThat(checksum(db)).as("the database is unchanged").isEqualTo(before);

        // what is refused above is accepted in its right form: the same rows with a key, text and a hash
        String hash = "$2a$10$" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0".substring(0, 53);
        for (byte[] fine : List.of(areas("{\"id\":90001,\"AREA\":\"Zona \\ud83d\\ude00 \u00e9\",\"activo\":1}"),
                areasFree("usuarios", "{" + user + ",\"contra\":\"" + hash + "\"}"),
                utf8("{\"version\":\"2.0\",\"data\":{\"pesaje\":[]}}"))) {
            http().post().uri("/api/backup/import").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.admin("root"))
                    .header("Prefer", "respond-async")
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(fine)
                    .exchange().expectStatus().isAccepted();
        }
    }

    private static byte[] areasFree(String table, String row) {
        return ("{\"version\":\"2.0\",\"data\":{\"" + table + "\":[" + row + "]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
