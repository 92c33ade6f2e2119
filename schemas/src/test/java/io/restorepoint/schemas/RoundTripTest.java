package io.restorepoint.schemas;

import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobFailure;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.schemas.kafka.JsonSerde;
import io.restorepoint.schemas.membership.ProjectMembership;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoundTripTest {

    private static final String TOKEN = "06715cb7-4dfa-4ec1-bad4-c136ddbf80d9";

    @Test
    void backupRequestedRoundTripsThroughTheCommandTopicSerde() {
        JobCommand command = new BackupRequested(SchemaVersion.V1, TOKEN, "demo", "scrap_demo", 3,
                "Update Catalog pre-upload backup", "Update Catalog module", "admin", 1613565541.4195538, "default");

        byte[] bytes = JsonSerde.<JobCommand>serializer().serialize(Topics.COMMANDS.name(), command);
        JobCommand back = JsonSerde.deserializer(Topics.COMMANDS.valueType()).deserialize(Topics.COMMANDS.name(), bytes);

        assertThat(back).isEqualTo(command);
        JsonNode json = Json.MAPPER.readTree(bytes);
        assertThat(json.get("type").asString()).isEqualTo("backup.requested");
        assertThat(json.get("command_id").asString()).isEqualTo(TOKEN);
        assertThat(json.get("schema_version").asInt()).isEqualTo(1);
        assertThat(json.get("requested_at").asDouble()).isEqualTo(1613565541.4195538);
    }

    @Test
    void jobEventUsesTheUnicatFieldNames() {
        CcEvent event = new JobEvent(SchemaVersion.V1, "e-1", TOKEN, "demo", JobType.BACKUP_PROJECT,
                JobStatus.PROCESSING, new JobInfo(120, 26, "rows", "dump",
                List.of(new JobInfo.TableProgress("pesaje", 100, 80))),
                1613565541.4195538, 1613565543.2836412, 2, 3, "worker-1", null, null);

        byte[] bytes = JsonSerde.<CcEvent>serializer().serialize(Topics.CC_EVENTS.name(), event);
        JsonNode json = Json.MAPPER.readTree(bytes);

        assertThat(json.get("type").asString()).isEqualTo("job");
        assertThat(json.get("job.token").asString()).isEqualTo(TOKEN);
        assertThat(json.get("project_gid").asString()).isEqualTo("demo");
        assertThat(json.get("job").asString()).isEqualTo("backup_project");
        assertThat(json.get("status").asString()).isEqualTo("processing");
        assertThat(json.get("info").get("total").asLong()).isEqualTo(120);
        assertThat(json.get("info").get("remaining").asLong()).isEqualTo(26);
        assertThat(json.get("created_on").asDouble()).isEqualTo(1613565541.4195538);
        assertThat(json.get("updated_on").asDouble()).isEqualTo(1613565543.2836412);
        assertThat(json.has("failure")).as("null fields are left out").isFalse();
        assertThat(new String(bytes, StandardCharsets.UTF_8)).as("epoch seconds in plain notation, as in the seed")
                .contains("\"created_on\":1613565541.4195538").doesNotContain("E9");

        CcEvent back = JsonSerde.deserializer(Topics.CC_EVENTS.valueType()).deserialize(Topics.CC_EVENTS.name(), bytes);
        assertThat(back).isEqualTo(event);
    }

    @Test
    void rejectedEventCarriesItsReasonAndRoundTrips() {
        JobEvent event = new JobEvent(SchemaVersion.V1, "e-2", TOKEN, "demo", JobType.BACKUP_PROJECT,
                JobStatus.REJECTED, JobInfo.empty(), 1, 2, 3, 3, "worker-1",
                JobFailure.processError(JobType.BACKUP_PROJECT, "table pesaje: connection lost", "pesaje"), null);
        byte[] bytes = JsonSerde.<CcEvent>serializer().serialize("t", event);
        JsonNode failure = Json.MAPPER.readTree(bytes).get("failure");
        assertThat(failure.get("code").asInt()).isEqualTo(1003);
        assertThat(failure.get("message").asString()).isEqualTo("Process error");
        assertThat(failure.get("process").asString()).isEqualTo("backup");
        assertThat(JsonSerde.deserializer(CcEvent.class).deserialize("t", bytes)).isEqualTo(event);
    }

    @Test
    void rejectedWithoutReasonIsRefused() {
        assertThatThrownBy(() -> new JobEvent(SchemaVersion.V1, "e", TOKEN, "demo", JobType.BACKUP_PROJECT,
                JobStatus.REJECTED, JobInfo.empty(), 1, 2, 0, null, "w", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownFieldsAreToleratedSoProducersCanAddOptionalFields() {
        String json = """
                {"type":"job","schema_version":1,"event_id":"e","job.token":"t","project_gid":"p",
                 "job":"backup_project","status":"done","info":{"total":1,"remaining":0,"some_new":true},
                 "created_on":1.5,"updated_on":2.5,"seq":4,"a_field_from_the_future":"x"}""";
        CcEvent event = JsonSerde.deserializer(CcEvent.class).deserialize("t", json.getBytes(StandardCharsets.UTF_8));
        assertThat(event).isInstanceOf(JobEvent.class);
        assertThat(((JobEvent) event).status()).isEqualTo(JobStatus.DONE);
    }

    @Test
    void garbageAndUnknownTypeTokensFailWithASerializationException() {
        var deserializer = JsonSerde.deserializer(JobCommand.class);
        assertThatThrownBy(() -> deserializer.deserialize("t", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("t", "{\"type\":\"rm.rf\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("t",
                "{\"type\":\"backup.requested\",\"command_id\":\"c\",\"project_gid\":\"p\",\"database\":\"d\",\"version\":0}"
                        .getBytes(StandardCharsets.UTF_8)))
                .as("version 0 is reserved").isInstanceOf(SerializationException.class);
    }

    @Test
    void membershipRoundTrips() {
        var membership = new ProjectMembership(SchemaVersion.V1, "demo", "admin", List.of("owner"), "active");
        byte[] bytes = JsonSerde.serializer().serialize("t", membership);
        assertThat(JsonSerde.deserializer(ProjectMembership.class).deserialize("t", bytes)).isEqualTo(membership);
        assertThat(membership.key()).isEqualTo("demo/admin");
    }
}
