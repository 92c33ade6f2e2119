package io.restorepoint.schemas.contract;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.command.ImportRequested;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.command.RestoreRequested;
import io.restorepoint.schemas.command.VerifyRequested;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobFailure;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobResult;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.schemas.kafka.JsonSerde;
import io.restorepoint.schemas.membership.ProjectMembership;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed schemas describe what the records really put on the wire: records serialized with
 * {@link JsonSerde} validate against them (JSON Schema draft-07 validator), and wrong messages do not.
 */
class WireConformanceTest {

    private static final String TOKEN = "06715cb7-4dfa-4ec1-bad4-c136ddbf80d9";

    /** The validator of a committed schema file. */
    static Schema committedSchema(String fileName) {
        try {
            String text = Files.readString(ContractSchemasTest.COMMITTED.resolve(fileName));
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyKindOfCommandValidates() {
        List<JobCommand> commands = List.of(
                new BackupRequested(SchemaVersion.V1, TOKEN, "demo", "scrap_demo", 3, "First backup", "quick start",
                        "admin", 1613565541.4195538, "reports"),
                new BackupRequested(SchemaVersion.V1, TOKEN, "demo", "scrap_demo", 4, null, null, null, 1.5, null),
                new RestoreRequested(SchemaVersion.V1, TOKEN, "demo", "scrap_demo", 1, 5, "f7b9", "admin", 2.5, null, null),
                new RestoreRequested(SchemaVersion.V1, TOKEN, "demo", "scrap_demo", 1, 5, "f7b9", "admin", 2.5,
                        RestoreRequested.DEFINERS_RESTORING_ACCOUNT, null),
                new VerifyRequested(SchemaVersion.V1, TOKEN, "demo", "scrap_demo", 1, "admin", 2.5, null),
                new ImportRequested(SchemaVersion.V1, TOKEN, "demo", "scrap_demo", "imports/" + TOKEN, "admin", 2.5, "reports"));
        for (JobCommand command : commands) {
            assertValid(command.ceType() + ".json", JsonSerde.<JobCommand>serializer().serialize("t", command));
        }
    }

    @Test
    void jobEventsOfEveryStatusValidate() {
        List<JobEvent> events = List.of(
                new JobEvent(SchemaVersion.V1, "e0", TOKEN, "demo", JobType.BACKUP_PROJECT, JobStatus.QUEUED,
                        JobInfo.empty(), 1.5, 1.5, 0, 3, "gateway", null, null),
                new JobEvent(SchemaVersion.V1, "e1", TOKEN, "demo", JobType.BACKUP_PROJECT, JobStatus.PROCESSING,
                        new JobInfo(120, 26, "rows", "dump", List.of(new JobInfo.TableProgress("pesaje", 100, 80))),
                        1.5, 2.5, 1, 3, "worker-1", null, null),
                new JobEvent(SchemaVersion.V1, "e2", TOKEN, "demo", JobType.VERIFY_BACKUP, JobStatus.REJECTED,
                        JobInfo.empty(), 1.5, 3.5, 2, null, "worker-1",
                        JobFailure.processError(JobType.VERIFY_BACKUP, "checksum mismatch", "pesaje"), null),
                new JobEvent(SchemaVersion.V1, "e3", TOKEN, "demo", JobType.IMPORT_DATA, JobStatus.DONE,
                        new JobInfo(10, 0, "rows", "done", null), 1.5, 4.5, 3, null, "worker-1", null,
                        new JobResult(7, 0, Map.of("pesaje", new JobResult.TableCount(7, 3)))),
                new JobEvent(SchemaVersion.V1, "e4", TOKEN, "demo", JobType.RESTORE_PROJECT, JobStatus.DONE,
                        new JobInfo(10, 0, "rows", "done", null), 1.5, 4.5, 3, null, "worker-1", null,
                        new JobResult(10, 0, null, Map.of("view", 2, "trigger", 3),
                                List.of("backup version 1 is artifact format 1, written before backups held views"),
                                List.of(new JobResult.SkippedObject("trigger", "*", "the backup account lacks TRIGGER")))));
        for (JobEvent event : events) {
            assertValid(JobEvent.CE_TYPE + ".json", JsonSerde.<CcEvent>serializer().serialize("t", event));
        }
    }

    @Test
    void membershipsValidateAlsoWithNullRoles() {
        assertValid(ProjectMembership.CE_TYPE + ".json", JsonSerde.serializer().serialize("t",
                new ProjectMembership(SchemaVersion.V1, "demo", "admin", List.of("owner"), "active")));
        byte[] withNulls = JsonSerde.serializer().serialize("t", new ProjectMembership(SchemaVersion.V1, "demo", "bob", null, "invited"));
        assertThat(new String(withNulls)).as("this record writes nulls").contains("\"roles\":null");
        assertValid(ProjectMembership.CE_TYPE + ".json", withNulls);
    }

    @Test
    void wrongMessagesDoNotValidate() {
        Schema schema = committedSchema(JobEvent.CE_TYPE + ".json");
        ObjectNode good = (ObjectNode) Json.MAPPER.readTree(JsonSerde.<CcEvent>serializer().serialize("t",
                new JobEvent(SchemaVersion.V1, "e0", TOKEN, "demo", JobType.BACKUP_PROJECT, JobStatus.QUEUED,
                        JobInfo.empty(), 1.5, 1.5, 0, 3, "gateway", null, null)));
        assertThat(schema.validate(good)).isEmpty();

        ObjectNode noToken = good.deepCopy();
        noToken.remove("job.token");
        assertThat(schema.validate(noToken)).isNotEmpty();
        assertThat(schema.validate(good.deepCopy().put("status", "failed"))).isNotEmpty();
        assertThat(schema.validate(good.deepCopy().put("type", "backup.requested"))).isNotEmpty();
        assertThat(schema.validate(good.deepCopy().put("seq", "zero"))).isNotEmpty();
        assertThat(schema.validate(good.deepCopy().put("some_future_field", true)))
                .as("unknown properties are allowed (tolerant readers)").isEmpty();
    }

    private static void assertValid(String fileName, byte[] json) {
        JsonNode node = Json.MAPPER.readTree(json);
        List<Error> errors = committedSchema(fileName).validate(node);
        assertThat(errors).as("%s against %s", node, fileName).isEmpty();
    }
}
