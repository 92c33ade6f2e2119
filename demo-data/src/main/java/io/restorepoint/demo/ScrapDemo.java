package io.restorepoint.demo;

import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.devinfra.Sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scrap-tracking demo database of the first seed: its 14 tables with realistic types (DECIMAL,
 * DATETIME(3), utf8mb4 text with accents, NULLs, JSON, bcrypt-shaped password hashes, foreign keys),
 * small catalogues and two fact tables ({@code pesaje}, {@code auditoria}) of any size. Rows are made
 * on the server ({@code INSERT ... SELECT} over a numbers table), deterministically, so millions of rows
 * take seconds and every run produces the same data.
 */
public final class ScrapDemo {

    /** The tables, in the order of the seed's export document. */
    public static final List<String> TABLES = List.of("areas", "catnp", "fallas", "pesaje", "usuarios", "turnos",
            "cadenas", "lineas", "categorias_scrap", "unidades", "roles", "tolerancias", "auditoria", "sesiones");

    /** Rows of {@code pesaje} and of {@code auditoria} in the default (small) demo. */
    public static final long SMALL = 2_000;

    private static final int BATCH = 100_000;
    private static final List<String> AREAS = List.of("Ensamble", "Corte", "Soldadura", "Pintura", "Inyección",
            "Empaque", "Calidad", "Almacén", "Moldeo", "Troquelado", "Prensas", "Cableado", "Pruebas eléctricas",
            "Mantenimiento", "Logística");
    private static final List<String> FIRST = List.of("José", "María", "Ángel", "Lucía", "Ramón", "Inés", "Íñigo",
            "Sofía", "Andrés", "Begoña");
    private static final List<String> LAST = List.of("Pérez", "Núñez", "Gómez", "Martínez", "Ibáñez", "Rodríguez",
            "Castañeda", "López");

    private ScrapDemo() {
    }

    /** Creates the 14 tables in the (empty) database {@code db} connects to. */
    public static void createSchema(ConnectionFactory db) {
        Sql.execute(db, schemaStatements());
    }

    /** Creates the schema and fills it: catalogues, then {@code factRows} rows each of pesaje and auditoria. */
    public static void install(ConnectionFactory db, long factRows) {
        createSchema(db);
        List<String> statements = new ArrayList<>(catalogues());
        statements.add("CREATE TEMPORARY TABLE _rp_n (n INT NOT NULL PRIMARY KEY)");
        statements.add("INSERT INTO _rp_n SELECT n FROM " + Sql.sequence(5) + " t");
        for (long base = 0; base < factRows; base += BATCH) {
            statements.add(pesaje(base, factRows));
            statements.add(auditoria(base, factRows));
        }
        statements.add("DROP TEMPORARY TABLE _rp_n");
        Sql.execute(db, statements);
    }

    static List<String> schemaStatements() {
        try (InputStream in = ScrapDemo.class.getResourceAsStream("/demo/scrap-schema.sql")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("\n;\n"))
                    .map(s -> s.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n").trim())
                    .filter(s -> !s.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> catalogues() {
        List<String> s = new ArrayList<>();
        s.add("INSERT INTO cadenas (CADENA, descripcion) VALUES ('GNT1','Cadena de arneses 1'),"
                + "('GNT2','Cadena de arneses 2'),('HVX3','Alto voltaje'),('ECU4',NULL)");
        StringBuilder areas = new StringBuilder("INSERT INTO areas (AREA, CADENA, activo) VALUES ");
        String[] cadenas = {"GNT1", "GNT2", "HVX3", "ECU4"};
        for (int i = 0; i < AREAS.size(); i++) {
            areas.append(i == 0 ? "" : ",").append("('").append(AREAS.get(i)).append("','")
                    .append(cadenas[i % 4]).append("',").append(i == 13 ? 0 : 1).append(')');
        }
        s.add(areas.toString());
        StringBuilder lineas = new StringBuilder("INSERT INTO lineas (LINEA, area_id) VALUES ");
        for (int i = 1; i <= 18; i++) {
            lineas.append(i == 1 ? "" : ",").append(String.format("('L-%02d',%d)", i, 1 + (i % 15)));
        }
        s.add(lineas.toString());
        s.add("INSERT INTO turnos (TURNO, hora_inicio, hora_fin) VALUES ('Matutino','06:00:00','14:00:00'),"
                + "('Vespertino','14:00:00','22:00:00'),('Nocturno','22:00:00','06:00:00')");
        s.add("INSERT INTO unidades (UNIDAD, descripcion) VALUES ('kg','Kilogramo'),('pz','Pieza'),('m','Metro'),"
                + "('lt','Litro'),('caja',NULL)");
        s.add("INSERT INTO categorias_scrap (CATEGORIA, descripcion) VALUES ('Material','Defecto de material'),"
                + "('Proceso','Error de proceso'),('Máquina','Falla de máquina'),('Humano','Error humano'),"
                + "('Diseño','Cambio de ingeniería'),('Proveedor','Material de proveedor'),('Manejo','Daño por manejo'),"
                + "('Otro','')");
        s.add("INSERT INTO catnp (NP, DESCRIPCION, COSTO, unidad_id, categoria_id, activo) "
                + "SELECT CONCAT('NP', LPAD(n + 1, 6, '0')), CONCAT('Componente ', ELT(1 + n % 5, 'arnés', 'conector', "
                + "'terminal', 'cable', 'sello'), ' #', n + 1), ROUND(0.5 + (n * 37 % 9000) / 100, 4), 1 + n % 5, "
                + "IF(n % 10 = 0, NULL, 1 + n % 8), IF(n % 50 = 49, 0, 1) FROM " + Sql.sequence(3) + " t WHERE n < 234 ORDER BY n");
        s.add("INSERT INTO fallas (CODIGO, DESCRIPCION, categoria_id) SELECT CONCAT('F-', LPAD(n + 1, 3, '0')), "
                + "CONCAT(ELT(1 + n % 5, 'Corte fuera de tolerancia', 'Soldadura fría', 'Aislamiento dañado', "
                + "'Terminal deformada', 'Contaminación'), ' (', n + 1, ')'), IF(n % 9 = 0, NULL, 1 + n % 8) FROM "
                + Sql.sequence(2) + " t WHERE n < 45 ORDER BY n");
        s.add("INSERT INTO roles (ROL, permisos) VALUES ('admin','{\"backup\": true, \"usuarios\": true}'),"
                + "('supervisor','{\"backup\": false, \"reportes\": true}'),('operador','{\"pesaje\": true}'),"
                + "('consulta',NULL)");
        StringBuilder usuarios = new StringBuilder("INSERT INTO usuarios (nombre, gafete, contra, rol_id, activo, creado) VALUES ");
        for (int i = 0; i < 25; i++) {
            String name = FIRST.get(i % FIRST.size()) + " " + LAST.get((i * 3) % LAST.size());
            String badge = i == 0 ? "admin" : String.format("G%05d", 1000 + i * 7);
            usuarios.append(i == 0 ? "" : ",").append("('").append(name).append("','").append(badge)
                    .append("','").append(fakeBcrypt(i)).append("',").append(i == 0 ? 1 : 1 + i % 4).append(',')
                    .append(i % 12 == 11 ? 0 : 1).append(",'2023-0").append(1 + i % 9).append("-1")
                    .append(i % 9).append(" 08:").append(String.format("%02d", i * 2)).append(":00.").append(100 + i).append("')");
        }
        s.add(usuarios.toString());
        s.add("INSERT INTO tolerancias (area_id, NP, MAXIMO) SELECT 1 + n % 15, CONCAT('NP', LPAD(1 + (n * 7) % 234, 6, '0')), "
                + "ROUND(10 + (n * 13 % 500) / 10, 2) FROM " + Sql.sequence(2) + " t WHERE n < 60 ORDER BY n");
        s.add("INSERT INTO sesiones (id, usuario_id, token_hash, creada, expira, ip) SELECT "
                + "CONCAT('00000000-0000-4000-8000-', LPAD(n + 1, 12, '0')), 1 + n % 25, SHA2(CONCAT('token-', n), 256), "
                + "TIMESTAMP('2024-03-15 08:00:00') + INTERVAL n HOUR, TIMESTAMP('2024-03-15 16:00:00') + INTERVAL n HOUR, "
                + "IF(n % 4 = 0, NULL, CONCAT('192.168.1.', 10 + n)) FROM " + Sql.sequence(2) + " t WHERE n < 12 ORDER BY n");
        return s;
    }

    private static String pesaje(long base, long total) {
        StringBuilder areas = new StringBuilder();
        AREAS.forEach(a -> areas.append(",'").append(a).append('\''));
        return "INSERT INTO pesaje (AREA, NP, COSTO, PESO, CANTIDAD, falla_id, turno_id, linea_id, usuario_id, "
                + "FECHA_REGISTRO, comentario) SELECT ELT(1 + x % 15" + areas + "), "
                + "CONCAT('NP', LPAD(1 + (x * 7) % 234, 6, '0')), ROUND(0.25 + (x * 7919 % 50000) / 100, 2), "
                + "IF(x % 11 = 0, NULL, ROUND((x * 104729 % 100000) / 1000, 3)), 1 + x % 20, "
                + "IF(x % 7 = 0, NULL, 1 + x % 45), 1 + x % 3, 1 + x % 18, 1 + x % 25, "
                + "TIMESTAMP('2024-01-01 00:00:00') + INTERVAL (x * 7717 % 31536000) SECOND + INTERVAL (x % 1000) * 1000 MICROSECOND, "
                + "CASE WHEN x % 13 = 0 THEN CONCAT('Revisión pendiente, ñ #', x) WHEN x % 17 = 0 THEN '' ELSE NULL END "
                + "FROM (SELECT " + base + " + n AS x FROM _rp_n WHERE " + base + " + n < " + total + ") t ORDER BY x";
    }

    private static String auditoria(long base, long total) {
        return "INSERT INTO auditoria (usuario_id, accion, tabla, registro_id, detalle, ip, fecha) SELECT "
                + "IF(x % 9 = 0, NULL, 1 + x % 25), ELT(1 + x % 4, 'INSERT', 'UPDATE', 'DELETE', 'LOGIN'), "
                + "ELT(1 + x % 3, 'pesaje', 'catnp', 'usuarios'), IF(x % 4 = 3, NULL, 1 + x), "
                + "JSON_OBJECT('campo', 'COSTO', 'antes', ROUND((x % 1000) / 10, 2), 'después', ROUND((x % 997) / 10, 2), "
                + "'nota', IF(x % 5 = 0, 'corrección manual', NULL)), "
                + "CONCAT('10.', x % 256, '.', (x DIV 256) % 256, '.', 1 + x % 200), "
                + "TIMESTAMP('2024-01-01 00:00:00') + INTERVAL (x * 3331 % 31536000) SECOND + INTERVAL (x % 1000) * 1000 MICROSECOND "
                + "FROM (SELECT " + base + " + n AS x FROM _rp_n WHERE " + base + " + n < " + total + ") t ORDER BY x";
    }

    /** A bcrypt-shaped hash ($2a$10$ + 53 characters of the bcrypt alphabet); never a real password. */
    static String fakeBcrypt(int seed) {
        String alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder out = new StringBuilder("$2a$10$");
        long x = 0x9E3779B97F4A7C15L * (seed + 1);
        for (int i = 0; i < 53; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out.append(alphabet.charAt((int) Math.floorMod(x, (long) alphabet.length())));
        }
        return out.toString();
    }
}
