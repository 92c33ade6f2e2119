package io.restorepoint.engine.artifact;

import io.restorepoint.engine.sql.Identifiers;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Artifact format v3 (v4 when encrypted: same layout, files encrypted, so a reader that cannot decrypt
 * refuses it by its version): file names and the manifest's JSON mapping. The layout:
 * <pre>
 *   manifest.json                    written last; its presence makes the artifact valid
 *   schema/&lt;table&gt;.sql               CREATE TABLE statement
 *   data/&lt;table&gt;.&lt;n&gt;.sql.zst         INSERT statements, zstd-compressed, chunk n (5 digits)
 *   objects/&lt;kind&gt;/&lt;name&gt;.json        a view, trigger, routine, event or sequence: statement and context
 * </pre>
 * Formats 1 (clear) and 2 (encrypted) have the same layout without {@code objects/}: they hold base tables
 * only, and are still restored (the restore says so).
 */
public final class ArtifactFormat {

    /** Format of artifacts in the clear. */
    public static final int VERSION = 3;
    /** Format of encrypted artifacts: version 3's layout, every file but the manifest encrypted. */
    public static final int ENCRYPTED_VERSION = 4;
    /** The formats before schema objects were captured: base tables only, in the clear / encrypted. */
    public static final int TABLES_ONLY_VERSION = 1;
    public static final int TABLES_ONLY_ENCRYPTED_VERSION = 2;
    public static final String MANIFEST = "manifest.json";

    public static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ArtifactFormat() {
    }

    public static String schemaFile(String table) {
        return "schema/" + fileSafe(table) + ".sql";
    }

    public static String objectFile(String kind, String name) {
        return "objects/" + kind + "/" + fileSafe(name) + ".json";
    }

    public static String chunkFile(String table, int chunk) {
        return "data/" + fileSafe(table) + "." + String.format("%05d", chunk) + ".sql.zst";
    }

    /** Table names made of letters, digits, _ and $ are used as they are; others are percent-encoded. */
    static String fileSafe(String table) {
        return Identifiers.isPlain(table) ? table : URLEncoder.encode(table, StandardCharsets.UTF_8).replace("*", "%2A");
    }
}
