package io.restorepoint.schemas.contract;

import io.restorepoint.schemas.contract.SchemaCompatibility.Change;
import io.restorepoint.schemas.contract.SchemaCompatibility.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison rules, on small hand-made schema pairs. */
class SchemaCompatibilityTest {

    private static final String BASE = """
            {"type": "object",
             "properties": {
               "type": {"type": "string", "const": "job"},
               "job.token": {"type": "string"},
               "status": {"type": "string", "enum": ["queued", "processing", "done", "rejected"]},
               "seq": {"type": "integer"},
               "info": {"type": "object",
                        "properties": {"total": {"type": "integer"}, "unit": {"type": ["string", "null"]}},
                        "required": ["total"]},
               "worker_id": {"type": ["string", "null"]}
             },
             "required": ["type", "job.token", "status", "seq", "info"]}""";

    @Test
    void identicalSchemasHaveNoChanges() {
        assertThat(compare(BASE, BASE)).isEmpty();
    }

    @Test
    void aRemovedPropertyIsIncompatible() {
        List<Change> changes = compare(BASE, BASE.replace("""
                "worker_id": {"type": ["string", "null"]}""", """
                "worker": {"type": ["string", "null"]}"""));
        assertThat(incompatible(changes)).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("worker_id");
            assertThat(c.message()).contains("property removed").contains("renamed to one of [worker]");
        });
        assertThat(compatible(changes)).extracting(Change::path).containsExactly("worker");
    }

    @Test
    void aRemovedNestedPropertyIsIncompatible() {
        List<Change> changes = compare(BASE, BASE.replace("""
                "unit": {"type": ["string", "null"]}""", """
                "units": {"type": ["string", "null"]}"""));
        assertThat(incompatible(changes)).extracting(Change::path).containsExactly("info/unit");
    }

    @Test
    void anAddedOptionalPropertyIsCompatible() {
        List<Change> changes = compare(BASE, BASE.replace("""
                "seq": {"type": "integer"},""", """
                "seq": {"type": "integer"}, "phase": {"type": ["string", "null"]},"""));
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.COMPATIBLE);
            assertThat(c.path()).isEqualTo("phase");
            assertThat(c.message()).isEqualTo("new optional property");
            assertThat(c.toString()).startsWith("compatible change");
        });
    }

    @Test
    void aNewRequiredPropertyIsIncompatible() {
        List<Change> changes = compare(BASE, BASE.replace("""
                "seq": {"type": "integer"},""", """
                "seq": {"type": "integer"}, "phase": {"type": "string"},""")
                .replace("\"required\": [\"type\",", "\"required\": [\"phase\", \"type\","));
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.INCOMPATIBLE);
            assertThat(c.path()).isEqualTo("phase");
            assertThat(c.message()).contains("new required property");
        });
    }

    @Test
    void anOptionalPropertyBecomingRequiredOrTheReverseIsIncompatible() {
        assertThat(incompatible(compare(BASE, BASE.replace("\"required\": [\"total\"]", "\"required\": [\"total\", \"unit\"]"))))
                .extracting(Change::path, Change::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("info/unit",
                        "property became required (records written before lack it)"));
        assertThat(incompatible(compare(BASE, BASE.replace("\"seq\", \"info\"]", "\"info\"]"))))
                .extracting(Change::path).containsExactly("seq");
    }

    @Test
    void aNarrowedEnumIsIncompatibleAndAWidenedOneCompatible() {
        List<Change> narrowed = compare(BASE, BASE.replace("\"done\", \"rejected\"", "\"done\""));
        assertThat(narrowed).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.INCOMPATIBLE);
            assertThat(c.path()).isEqualTo("status");
            assertThat(c.message()).contains("enum narrowed").contains("\"rejected\"");
        });

        List<Change> widened = compare(BASE, BASE.replace("\"done\", \"rejected\"", "\"done\", \"rejected\", \"cancelled\""));
        assertThat(widened).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.COMPATIBLE);
            assertThat(c.message()).contains("enum widened").contains("\"cancelled\"");
        });
    }

    @Test
    void aChangedTypeOrConstIsIncompatible() {
        assertThat(incompatible(compare(BASE, BASE.replace("\"seq\": {\"type\": \"integer\"}", "\"seq\": {\"type\": \"string\"}"))))
                .singleElement().satisfies(c -> assertThat(c.message()).isEqualTo("type changed from [integer] to [string]"));
        assertThat(incompatible(compare(BASE, BASE.replace("\"const\": \"job\"", "\"const\": \"job.event\""))))
                .singleElement().satisfies(c -> assertThat(c.path()).isEqualTo("type"));
    }

    @Test
    void descriptionsAreNotChanges() {
        assertThat(compare(BASE, BASE.replace("\"seq\": {\"type\": \"integer\"}",
                "\"seq\": {\"type\": \"integer\", \"description\": \"0, 1, 2 ... per job\"}"))).isEmpty();
    }

    @Test
    void arrayItemsMapValuesAndLocalRefsAreCompared() {
        String old = """
                {"type": "object", "$defs": {"T": {"type": "object", "properties": {"done": {"type": "integer"}}}},
                 "properties": {"tables": {"type": "array", "items": {"$ref": "#/$defs/T"}},
                                "counts": {"type": "object", "additionalProperties": {"$ref": "#/$defs/T"}}}}""";
        String changed = old.replace("\"done\": {\"type\": \"integer\"}", "\"done\": {\"type\": \"number\"}");
        assertThat(incompatible(compare(old, changed))).extracting(Change::path)
                .containsExactly("tables[]/done", "counts{*}/done");
    }

    @Test
    void aDirectoryComparisonFailsOnAMissingOrRemovedSchemaAndExplainsHowToAccept(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("io.example.a.v1.json"), BASE + "\n");
        Files.writeString(dir.resolve("io.example.gone.v1.json"), BASE + "\n");
        Map<String, ObjectNode> generated = new LinkedHashMap<>();
        generated.put("io.example.a.v1.json", (ObjectNode) read(BASE.replace("\"seq\": {\"type\": \"integer\"},",
                "\"seq\": {\"type\": \"integer\"}, \"phase\": {\"type\": \"string\"},")));
        generated.put("io.example.b.v1.json", (ObjectNode) read(BASE));

        SchemaCompatibility.Report report = SchemaCompatibility.compareDirectory(dir, generated);

        assertThat(report.passes()).isFalse();
        assertThat(report.isCompatible()).as("a removed message type is incompatible").isFalse();
        assertThat(report.of(Kind.COMPATIBLE)).extracting(Change::schema, Change::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("io.example.a.v1.json", "phase"));
        assertThat(report.of(Kind.MISSING)).extracting(Change::schema).containsExactly("io.example.b.v1.json");
        assertThat(report.of(Kind.INCOMPATIBLE)).extracting(Change::schema).containsExactly("io.example.gone.v1.json");
        assertThat(report.describe())
                .contains("compatible change    io.example.a.v1.json phase: new optional property")
                .contains("-Dregenerate-schemas")
                .contains(".v2");
    }

    @Test
    void onlyCompatibleChangesPass(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.json"), BASE);
        SchemaCompatibility.Report report = SchemaCompatibility.compareDirectory(dir, Map.of("a.json",
                (ObjectNode) read(BASE.replace("\"done\", \"rejected\"", "\"done\", \"rejected\", \"cancelled\""))));
        assertThat(report.passes()).isTrue();
        assertThat(report.changes()).hasSize(1);
    }

    private static List<Change> compare(String committed, String generated) {
        return SchemaCompatibility.compare("s.json", read(committed), read(generated));
    }

    private static JsonNode read(String json) {
        return SchemaGenerator.MAPPER.readTree(json);
    }

    private static List<Change> incompatible(List<Change> changes) {
        return changes.stream().filter(c -> c.kind() == Kind.INCOMPATIBLE).toList();
    }

    private static List<Change> compatible(List<Change> changes) {
        return changes.stream().filter(c -> c.kind() == Kind.COMPATIBLE).toList();
    }
}
