package io.restorepoint.schemas.contract;

import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.command.ImportRequested;
import io.restorepoint.schemas.command.RestoreRequested;
import io.restorepoint.schemas.command.VerifyRequested;
import io.restorepoint.schemas.contract.SchemaGenerator.MessageType;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.ProjectChanged;
import io.restorepoint.schemas.job.ProjectDataChanged;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import io.restorepoint.schemas.membership.ProjectMembership;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published JSON Schemas: the committed files (src/main/resources/schemas) must still describe what
 * the records put on the wire. Compatible changes pass with a notice, incompatible ones fail the build.
 */
class ContractSchemasTest {

    static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    static final Path COMMITTED = MODULE.resolve(SchemaGenerator.COMMITTED_DIR);

    private final Map<String, ObjectNode> generated = SchemaGenerator.generateAll();

    @Test
    void theCommittedSchemasAreCompatibleWithTheRecords() {
        SchemaCompatibility.Report report = SchemaCompatibility.compareDirectory(COMMITTED, generated);
        if (!report.changes().isEmpty()) {
            System.out.println(report.describe()); // compatible changes pass, but say how to publish them
        }
        assertThat(report.passes()).as(report.describe()).isTrue();
    }

    @Test
    void everyMessageTypeOfEveryTopicHasOneSchemaNamedAfterItsCloudEventsType() {
        assertThat(SchemaGenerator.messageTypes()).extracting(MessageType::ceType).containsExactly(
                BackupRequested.CE_TYPE, RestoreRequested.CE_TYPE, VerifyRequested.CE_TYPE, ImportRequested.CE_TYPE,
                JobEvent.CE_TYPE, ProjectChanged.CE_TYPE, ProjectDataChanged.CE_TYPE, ProjectMembership.CE_TYPE);
        assertThat(generated.keySet()).containsExactly(
                "io.restorepoint.command.backup-requested.v1.json",
                "io.restorepoint.command.restore-requested.v1.json",
                "io.restorepoint.command.verify-requested.v1.json",
                "io.restorepoint.command.import-requested.v1.json",
                "io.restorepoint.job.v1.json",
                "io.restorepoint.project-changed.v1.json",
                "io.restorepoint.project-data-changed.v1.json",
                "io.restorepoint.membership.v1.json");
        for (MessageType type : SchemaGenerator.messageTypes()) {
            String dataSchema = CloudEventHeaders.dataSchemaOf(type.ceType());
            assertThat(Files.isRegularFile(MODULE.resolve("src/main/resources" + dataSchema)))
                    .as("committed file for ce_dataschema %s", dataSchema).isTrue();
            assertThat(getClass().getResource(dataSchema)).as("%s in the jar", dataSchema).isNotNull();
            assertThat(generated.get(type.fileName()).get("$id").asString()).isEqualTo(dataSchema);
        }
    }

    @Test
    void jobEventSchemaUsesTheWireNamesAndValues() {
        JsonNode schema = generated.get("io.restorepoint.job.v1.json");
        JsonNode properties = schema.get("properties");
        assertThat(names(properties)).containsExactly("type", "schema_version", "event_id", "job.token",
                "project_gid", "job", "status", "info", "created_on", "updated_on", "seq", "version", "worker_id",
                "failure", "result");
        assertThat(properties.get("type").get("const").asString()).isEqualTo("job");
        assertThat(strings(properties.get("status").get("enum"))).containsExactly("queued", "processing", "done", "rejected");
        assertThat(strings(properties.get("job").get("enum")))
                .containsExactly("backup_project", "restore_project", "verify_backup", "import_data");
        assertThat(properties.get("created_on").get("type").asString()).isEqualTo("number");
        assertThat(properties.get("seq").get("type").asString()).isEqualTo("integer");
        assertThat(strings(schema.get("required"))).containsExactly("type", "schema_version", "job.token",
                "project_gid", "job", "status", "info", "created_on", "updated_on", "seq");
        assertThat(strings(properties.get("info").get("required"))).containsExactly("total", "remaining");
        assertThat(strings(properties.get("failure").get("type"))).containsExactly("object", "null");
        assertThat(properties.get("result").at("/properties/tables/additionalProperties/properties").has("skipped")).isTrue();
    }

    @Test
    void commandSchemasCarryTheirTypeTokenAndTheRequiredComponentsOfTheirConstructors() {
        JsonNode backup = generated.get("io.restorepoint.command.backup-requested.v1.json");
        assertThat(backup.at("/properties/type/const").asString()).isEqualTo("backup.requested");
        assertThat(strings(backup.get("required"))).containsExactly("type", "schema_version", "command_id",
                "project_gid", "database", "version", "requested_at");
        assertThat(generated.get("io.restorepoint.command.restore-requested.v1.json").at("/properties/type/const").asString())
                .isEqualTo("restore.requested");
        assertThat(generated.get("io.restorepoint.command.verify-requested.v1.json").at("/properties/type/const").asString())
                .isEqualTo("verify.requested");
        JsonNode importRequested = generated.get("io.restorepoint.command.import-requested.v1.json");
        assertThat(importRequested.at("/properties/type/const").asString()).isEqualTo("import.requested");
        assertThat(strings(importRequested.get("required"))).contains("staging");
    }

    @Test
    void membershipSchemaHasNoDiscriminatorBecauseItsTopicCarriesOneType() {
        JsonNode membership = generated.get("io.restorepoint.membership.v1.json");
        assertThat(names(membership.get("properties")))
                .containsExactly("schema_version", "project_gid", "user_gid", "roles", "status");
        assertThat(Topics.MEMBERSHIPS.valueType()).isEqualTo(ProjectMembership.class);
    }

    private static List<String> names(JsonNode object) {
        return new ArrayList<>(object.propertyNames());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }
}
