package io.restorepoint.schemas.contract;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobResult;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import io.restorepoint.schemas.kafka.JsonSerde;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records RestorePoint writes are CloudEvents in the Kafka protocol binding's binary mode: the plain
 * CloudEvents SDK ({@code io.cloudevents:cloudevents-kafka}) reads their attributes from the {@code ce_*}
 * headers, and its data are exactly the JSON bytes a plain consumer reads with {@link JsonSerde}.
 */
class CloudEventsBindingTest {

    private static final String TOKEN = "06715cb7-4dfa-4ec1-bad4-c136ddbf80d9";
    private static final String SOURCE = "/restorepoint/backup-worker";
    private static final Instant TIME = Instant.parse("2021-02-17T12:39:03.283641200Z");

    private final JobEvent event = new JobEvent(SchemaVersion.V1, "3b0c8f3e-2d55-4c7e-9d51-0b0f6f0d7a11", TOKEN, "demo",
            JobType.BACKUP_PROJECT, JobStatus.DONE, new JobInfo(4433, 0, "rows", "done", null),
            1613565541.4195538, 1613565543.2836412, 3, 3, "worker-1", null, new JobResult(4433, 106195));

    @Test
    void theCloudEventsSdkReadsAJobEventRecord() {
        ConsumerRecord<String, byte[]> record = jobEventRecord();

        CloudEvent cloudEvent;
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            cloudEvent = deserializer.deserialize(record.topic(), record.headers(), record.value());
        }

        assertThat(cloudEvent.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(cloudEvent.getId()).isEqualTo(event.eventId());
        assertThat(cloudEvent.getType()).isEqualTo("io.restorepoint.job.v1").isEqualTo(JobEvent.CE_TYPE);
        assertThat(cloudEvent.getSource()).isEqualTo(URI.create(SOURCE));
        assertThat(cloudEvent.getSubject()).isEqualTo(TOKEN).isEqualTo(record.key());
        assertThat(cloudEvent.getTime()).isEqualTo(TIME.atOffset(ZoneOffset.UTC));
        assertThat(cloudEvent.getDataSchema()).isEqualTo(URI.create("/schemas/io.restorepoint.job.v1.json"));
        assertThat(cloudEvent.getDataContentType()).isEqualTo("application/json");
        assertThat(cloudEvent.getExtensionNames()).as("no header is mistaken for an extension").isEmpty();

        byte[] data = cloudEvent.getData().toBytes();
        assertThat(data).as("the event data are the record value, untouched").isEqualTo(record.value());
        assertThat(new String(data, StandardCharsets.UTF_8)).startsWith("{\"type\":\"job\",")
                .contains("\"job.token\":\"" + TOKEN + "\"").contains("\"created_on\":1613565541.4195538");
        CcEvent plain = JsonSerde.deserializer(Topics.CC_EVENTS.valueType()).deserialize(record.topic(), record.headers(), data);
        assertThat(plain).as("what the plain JSON consumer sees").isEqualTo(event);
    }

    @Test
    void theSchemaTheDataschemaAttributeNamesIsInTheJar() {
        CloudEvent cloudEvent;
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            ConsumerRecord<String, byte[]> record = jobEventRecord();
            cloudEvent = deserializer.deserialize(record.topic(), record.headers(), record.value());
        }
        assertThat(getClass().getResource(cloudEvent.getDataSchema().toString())).isNotNull();
    }

    @Test
    void ourHeadersAreTheOnesTheSdkWritesInBinaryMode() {
        byte[] value = JsonSerde.<CcEvent>serializer().serialize(Topics.CC_EVENTS.name(), event);
        CloudEvent sdkEvent = CloudEventBuilder.v1()
                .withId(event.eventId())
                .withType(JobEvent.CE_TYPE)
                .withSource(URI.create(SOURCE))
                .withSubject(TOKEN)
                .withTime(TIME.atOffset(ZoneOffset.UTC))
                .withDataSchema(URI.create(CloudEventHeaders.dataSchemaOf(JobEvent.CE_TYPE)))
                .withDataContentType("application/json")
                .withData(value)
                .build();
        Headers sdkHeaders = new RecordHeaders();
        byte[] sdkValue;
        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
            serializer.configure(Map.of(), false); // binary mode is the default
            sdkValue = serializer.serialize(Topics.CC_EVENTS.name(), sdkHeaders, sdkEvent);
        }

        assertThat(sdkValue).isEqualTo(value);
        Map<String, String> ours = asMap(CloudEventHeaders.of(event.eventId(), JobEvent.CE_TYPE, SOURCE, TOKEN, TIME));
        Map<String, String> theirs = asMap(List.of(sdkHeaders.toArray()));
        assertThat(ours.keySet()).isEqualTo(theirs.keySet());
        ours.forEach((name, ourValue) -> {
            if (name.equals(CloudEventHeaders.TIME)) {
                assertThat(Instant.parse(ourValue)).isEqualTo(Instant.parse(theirs.get(name)));
            } else {
                assertThat(ourValue).as(name).isEqualTo(theirs.get(name));
            }
        });
    }

    @Test
    void commandRecordsAreCloudEventsToo() {
        BackupRequested command = new BackupRequested(SchemaVersion.V1, TOKEN, "demo", "scrap_demo", 3,
                "nightly", "scheduler", "admin", 1613565541.4195538, null);
        byte[] value = JsonSerde.<JobCommand>serializer().serialize(Topics.COMMANDS.name(), command);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.COMMANDS.name(), 2, 17L, command.project(), value);
        CloudEventHeaders.of(command.commandId(), command.ceType(), "/restorepoint/gateway", command.commandId(), TIME)
                .forEach(record.headers()::add);

        CloudEvent cloudEvent;
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            cloudEvent = deserializer.deserialize(record.topic(), record.headers(), record.value());
        }
        assertThat(cloudEvent.getType()).isEqualTo("io.restorepoint.command.backup-requested.v1");
        assertThat(cloudEvent.getId()).isEqualTo(TOKEN);
        assertThat(cloudEvent.getSubject()).isEqualTo(TOKEN);
        assertThat(cloudEvent.getDataSchema()).hasToString("/schemas/io.restorepoint.command.backup-requested.v1.json");
        assertThat(JsonSerde.deserializer(JobCommand.class).deserialize("t", cloudEvent.getData().toBytes())).isEqualTo(command);
    }

    /** A record as a consumer polls it from restorepoint.cc-events.v1: key, JSON value, CloudEvents headers. */
    private ConsumerRecord<String, byte[]> jobEventRecord() {
        byte[] value = JsonSerde.<CcEvent>serializer().serialize(Topics.CC_EVENTS.name(), event);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.CC_EVENTS.name(), 0, 41L, event.key(), value);
        CloudEventHeaders.of(event.eventId(), JobEvent.CE_TYPE, SOURCE, event.jobToken(), TIME).forEach(record.headers()::add);
        return record;
    }

    private static Map<String, String> asMap(List<Header> headers) {
        Map<String, String> map = new TreeMap<>();
        headers.forEach(h -> map.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return map;
    }
}
