package io.restorepoint.schemas.contract;

import io.apicurio.datamodels.Library;
import io.apicurio.datamodels.models.Document;
import io.apicurio.datamodels.models.ModelType;
import io.apicurio.datamodels.validation.ValidationProblem;
import io.restorepoint.schemas.Topic;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.contract.SchemaGenerator.MessageType;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.schemas.kafka.JsonSerde;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code schemas/asyncapi.yaml} against the code: every topic of {@link Topics} is a channel with its
 * partitions and retention, every message type has its message with the right schema file and
 * CloudEvents headers, every {@code $ref} resolves, and the document passes the AsyncAPI 3.0 rules of
 * Apicurio's data models (no AsyncAPI JSON Schema is published on Maven Central to validate against).
 */
class AsyncApiDocumentTest {

    static final Path ASYNCAPI = ContractSchemasTest.MODULE.resolve("asyncapi.yaml");

    private final JsonNode doc = read();

    private static JsonNode read() {
        try {
            return YAMLMapper.builder().build().readTree(Files.readString(ASYNCAPI));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void isAnAsyncApi3DocumentForKafka() {
        assertThat(doc.path("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(doc.at("/info/title").asString()).isNotBlank();
        assertThat(doc.at("/info/version").asString()).isNotBlank();
        assertThat(doc.path("defaultContentType").asString()).isEqualTo("application/json");
        doc.path("servers").forEach(server -> assertThat(server.path("protocol").asString()).isEqualTo("kafka"));
    }

    @Test
    void everyTopicIsAChannelWithItsPartitionsAndRetention() {
        Map<String, JsonNode> channels = channelsByAddress();
        assertThat(channels.keySet()).containsExactlyInAnyOrderElementsOf(
                Topics.all().stream().map(Topic::name).toList());
        for (Topic<?, ?> topic : Topics.all()) {
            JsonNode kafka = channels.get(topic.name()).at("/bindings/kafka");
            assertThat(kafka.path("topic").asString()).as(topic.name()).isEqualTo(topic.name());
            assertThat(kafka.path("partitions").asInt()).as("partitions of %s", topic.name()).isEqualTo(topic.partitions());
            JsonNode config = kafka.path("topicConfiguration");
            assertThat(strings(config.path("cleanup.policy"))).as("cleanup.policy of %s", topic.name())
                    .containsExactly(topic.compacted() ? "compact" : "delete");
            if (topic.retention() == null) {
                assertThat(config.has("retention.ms")).as("retention.ms of %s", topic.name()).isFalse();
            } else {
                assertThat(config.path("retention.ms").asLong()).as("retention.ms of %s", topic.name())
                        .isEqualTo(topic.retention().toMillis());
            }
        }
    }

    @Test
    void everyMessageTypeIsAMessageOfItsTopicWithItsSchemaAndCloudEventsHeaders() {
        Map<String, JsonNode> channels = channelsByAddress();
        for (MessageType type : SchemaGenerator.messageTypes()) {
            JsonNode channel = channels.get(type.topic().name());
            List<JsonNode> messages = new ArrayList<>();
            channel.path("messages").forEach(m -> messages.add(resolve(m)));
            JsonNode message = messages.stream()
                    .filter(m -> m.at("/payload/$ref").asString().endsWith("/" + type.fileName()))
                    .findFirst().orElse(null);
            assertThat(message).as("a message of %s with payload %s", type.topic().name(), type.fileName()).isNotNull();
            assertThat(message.at("/payload/$ref").asString())
                    .isEqualTo("./" + SchemaGenerator.COMMITTED_DIR.toString().replace('\\', '/') + "/" + type.fileName());
            if (type.discriminator() != null) {
                assertThat(message.path("name").asString()).isEqualTo(type.discriminatorValue());
            }
            JsonNode ceSpecific = message.at("/headers/allOf/1/properties");
            assertThat(resolve(message.at("/headers/allOf/0")).equals(resolve(doc.at("/components/schemas/CloudEventHeaders"))))
                    .as("%s uses the CloudEvents headers", type.ceType()).isTrue();
            assertThat(ceSpecific.at("/ce_type/const").asString()).isEqualTo(type.ceType());
            assertThat(ceSpecific.at("/ce_dataschema/const").asString()).isEqualTo(CloudEventHeaders.dataSchemaOf(type.ceType()));
            assertThat(resolve(message.path("bindings")).at("/kafka/key/type").asString()).isEqualTo("string");
        }
    }

    @Test
    void theCloudEventsHeadersAreTheOnesCloudEventHeadersWrites() {
        JsonNode headers = doc.at("/components/schemas/CloudEventHeaders");
        assertThat(strings(headers.path("required"))).containsExactlyInAnyOrder(
                CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.ID, CloudEventHeaders.TYPE, CloudEventHeaders.SOURCE,
                CloudEventHeaders.SUBJECT, CloudEventHeaders.TIME, CloudEventHeaders.DATA_SCHEMA, CloudEventHeaders.CONTENT_TYPE);
        // every header written, the optional trace context included
        List<String> written = CloudEventHeaders.of("i", "t", "s", "j", java.time.Instant.EPOCH,
                        io.restorepoint.schemas.kafka.TraceContext.newRoot()).stream()
                .map(org.apache.kafka.common.header.Header::key).toList();
        assertThat(new ArrayList<>(headers.path("properties").propertyNames())).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void everyReferenceResolvesAndEverySchemaFileExists() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        Set<String> files = new HashSet<>();
        for (String ref : refs) {
            if (ref.startsWith("#")) {
                assertThat(doc.at(ref.substring(1)).isMissingNode()).as("$ref %s resolves", ref).isFalse();
            } else {
                Path file = ASYNCAPI.getParent().resolve(ref).normalize();
                assertThat(file).as("$ref %s", ref).isRegularFile();
                files.add(file.getFileName().toString());
            }
        }
        assertThat(files).as("every message type's schema is referenced")
                .containsExactlyInAnyOrderElementsOf(SchemaGenerator.messageTypes().stream().map(MessageType::fileName).toList());
    }

    @Test
    void operationsNameProducersAndConsumersOfEveryChannel() {
        Map<String, Set<String>> actionsByChannel = new TreeMap<>();
        doc.path("operations").properties().forEach(e -> {
            JsonNode operation = e.getValue();
            String action = operation.path("action").asString();
            assertThat(action).as(e.getKey()).isIn("send", "receive");
            String channelRef = operation.at("/channel/$ref").asString();
            assertThat(channelRef).as(e.getKey()).startsWith("#/channels/");
            JsonNode channel = doc.at(channelRef.substring(1));
            assertThat(channel.isMissingNode()).as(channelRef).isFalse();
            assertThat(operation.path("title").asString()).as(e.getKey()).isNotBlank();
            operation.path("messages").forEach(m -> assertThat(m.path("$ref").asString())
                    .as("operation %s sends/receives messages of its own channel", e.getKey())
                    .startsWith(channelRef + "/messages/"));
            actionsByChannel.computeIfAbsent(channel.path("address").asString(), k -> new HashSet<>()).add(action);
        });
        assertThat(actionsByChannel.get(Topics.COMMANDS.name())).containsExactlyInAnyOrder("send", "receive");
        assertThat(actionsByChannel.get(Topics.COMMANDS_DLT.name())).containsExactly("send");
        assertThat(actionsByChannel.get(Topics.CC_EVENTS.name())).containsExactlyInAnyOrder("send", "receive");
        assertThat(actionsByChannel.get(Topics.MEMBERSHIPS.name())).containsExactlyInAnyOrder("send", "receive");
    }

    @Test
    void examplePayloadsAreReadByTheContractSerde() {
        int checked = 0;
        for (JsonNode message : doc.at("/components/messages")) {
            for (JsonNode example : message.path("examples")) {
                byte[] payload = Json.MAPPER.writeValueAsBytes(example.path("payload"));
                Class<?> type = message.path("name").asString().equals("job") ? CcEvent.class : JobCommand.class;
                Object value = JsonSerde.deserializer(type).deserialize("t", payload);
                assertThat(Json.MAPPER.readTree(JsonSerde.serializer().serialize("t", value)))
                        .as("example %s round-trips", example.path("name").asString())
                        .isEqualTo(Json.MAPPER.readTree(payload));
                assertThat(example.at("/headers/ce_dataschema").asString())
                        .isEqualTo(message.at("/headers/allOf/1/properties/ce_dataschema/const").asString());
                String schemaFile = Path.of(message.at("/payload/$ref").asString()).getFileName().toString();
                assertThat(WireConformanceTest.committedSchema(schemaFile).validate(example.path("payload")))
                        .as("example %s against %s", example.path("name").asString(), schemaFile).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void passesTheAsyncApi3RulesOfApicurio() throws Exception {
        Document document = Library.readDocumentFromJSONString(Json.MAPPER.writeValueAsString(doc));
        assertThat(document.root().modelType()).isEqualTo(ModelType.ASYNCAPI30);
        List<ValidationProblem> problems = Library.validate(document, null);
        assertThat(problems).as(describe(problems)).isEmpty();
    }

    @Test
    void theApicurioRulesDoCatchABrokenDocument() throws Exception {
        ObjectNode broken = (ObjectNode) doc.deepCopy();
        ((ObjectNode) broken.at("/channels/commands")).remove("address");
        ((ObjectNode) broken.at("/operations/runCommands")).put("action", "subscribe");
        List<ValidationProblem> problems = Library.validate(
                Library.readDocumentFromJSONString(Json.MAPPER.writeValueAsString(broken)), null);
        assertThat(problems).extracting(p -> p.nodePath.toString())
                .anySatisfy(path -> assertThat(path).contains("commands"))
                .anySatisfy(path -> assertThat(path).contains("runCommands"));
    }

    private Map<String, JsonNode> channelsByAddress() {
        Map<String, JsonNode> channels = new TreeMap<>();
        doc.path("channels").forEach(c -> channels.put(c.path("address").asString(), c));
        return channels;
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref") && node.get("$ref").asString().startsWith("#")) {
            node = doc.at(node.get("$ref").asString().substring(1));
        }
        return node;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asString());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    private static String describe(List<ValidationProblem> problems) {
        StringBuilder text = new StringBuilder("AsyncAPI problems:\n");
        problems.forEach(p -> text.append("  ").append(p.severity).append(' ').append(p.errorCode).append(' ')
                .append(p.nodePath).append(' ').append(p.property).append(": ").append(p.message).append('\n'));
        return text.toString();
    }
}
