package io.restorepoint.schemas.contract;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jackson.JacksonSchemaModule;
import io.restorepoint.schemas.Topic;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generates the JSON Schema (draft-07: the dialect of AsyncAPI 3.0 payloads) of every message type of
 * the contract from its Java record, one file per CloudEvents type: {@code <ce type>.json}, the name
 * {@link CloudEventHeaders#dataSchemaOf} puts in the {@code ce_dataschema} header.
 *
 * <p>The message types are found from {@link Topics#all()}: a topic's value type, or each permitted
 * subtype of a sealed value type; every one declares its {@code CE_TYPE}. A topic whose values are raw
 * bytes (the dead-letter topic) has no schema of its own.
 *
 * <p>What a schema says:
 * <ul>
 *   <li>property names are the wire names ({@code @JsonProperty}), enums list their wire values
 *       ({@code @JsonValue});</li>
 *   <li>a polymorphic value's discriminator ({@code type}: {@code job}, {@code backup.requested}, ...) is
 *       a required property with a {@code const};</li>
 *   <li><b>required</b> = the properties always present on the wire: every primitive component (always
 *       written) and every component the record's (compact) constructor refuses to be {@code null}. The
 *       latter is found by constructing the record with valid sample values and {@code null} in that one
 *       component: if the constructor throws, the component is required. A component that is required
 *       only in some states (a {@code failure} on a {@code rejected} job event) stays optional;</li>
 *   <li>every other property is optional and may be absent or {@code null} (readers treat both alike);
 *       objects allow unknown properties (tolerant readers: producers may add optional fields).</li>
 * </ul>
 *
 * <p>{@code main(dir)} writes the schemas to {@code dir} (the build does it into
 * {@code target/classes/schemas}); {@code main("--accept", dir)} first compares them with the ones in
 * {@code dir} and writes them only if the change is compatible (see {@link SchemaCompatibility}).
 */
public final class SchemaGenerator {

    /** Where the committed schemas are, relative to the module directory. */
    public static final Path COMMITTED_DIR = Path.of("src", "main", "resources", "schemas");

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Two-space indentation, {@code "name": value}, short arrays on one line: {@code ["a", "b"]}. */
    private static final ObjectWriter WRITER = MAPPER.writer().with(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER)
            .withArrayElementSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance()));

    /**
     * One message type of the contract.
     *
     * @param ceType            CloudEvents type, also the schema file's base name
     * @param recordType        the Java record
     * @param topic             the topic it travels on
     * @param discriminator     the type property's name, {@code null} if the topic has a single value type
     * @param discriminatorValue the type property's value
     */
    public record MessageType(String ceType, Class<?> recordType, Topic<?, ?> topic,
                              String discriminator, String discriminatorValue) {

        public String fileName() {
            return ceType + ".json";
        }
    }

    private SchemaGenerator() {
    }

    /** Every message type of every topic, in topic order. */
    public static List<MessageType> messageTypes() {
        List<MessageType> types = new ArrayList<>();
        for (Topic<?, ?> topic : Topics.all()) {
            Class<?> valueType = topic.valueType();
            if (valueType == byte[].class) {
                continue;
            }
            if (valueType.isSealed()) {
                JsonTypeInfo typeInfo = valueType.getAnnotation(JsonTypeInfo.class);
                JsonSubTypes subTypes = valueType.getAnnotation(JsonSubTypes.class);
                if (typeInfo == null || subTypes == null) {
                    throw new IllegalStateException(valueType + " is sealed but has no @JsonTypeInfo/@JsonSubTypes");
                }
                for (Class<?> permitted : valueType.getPermittedSubclasses()) {
                    String name = Arrays.stream(subTypes.value())
                            .filter(t -> t.value() == permitted).map(JsonSubTypes.Type::name).findFirst()
                            .orElseThrow(() -> new IllegalStateException(permitted + " is not in @JsonSubTypes of " + valueType));
                    types.add(new MessageType(ceTypeOf(permitted), permitted, topic, typeInfo.property(), name));
                }
            } else {
                types.add(new MessageType(ceTypeOf(valueType), valueType, topic, null, null));
            }
        }
        return types;
    }

    /** The schema of every message type, by file name, in {@link #messageTypes()} order. */
    public static Map<String, ObjectNode> generateAll() {
        var generator = new com.github.victools.jsonschema.generator.SchemaGenerator(config());
        Map<String, ObjectNode> schemas = new LinkedHashMap<>();
        for (MessageType type : messageTypes()) {
            schemas.put(type.fileName(), finish(type, generator.generateSchema(type.recordType())));
        }
        return schemas;
    }

    /** The text of a schema file: two-space indentation, a final newline. */
    public static String toText(JsonNode schema) {
        return WRITER.writeValueAsString(schema).replace("\r\n", "\n") + "\n";
    }

    /**
     * {@code [--accept] <dir>}: writes every schema to {@code dir}. With {@code --accept}, compares with
     * the schemas already in {@code dir} first and writes nothing if any change is incompatible.
     */
    public static void main(String[] args) throws IOException {
        boolean accept = args.length == 2 && args[0].equals("--accept");
        if (args.length != (accept ? 2 : 1)) {
            throw new IllegalArgumentException("usage: SchemaGenerator [--accept] <dir>");
        }
        Path dir = Path.of(args[accept ? 1 : 0]);
        Map<String, ObjectNode> schemas = generateAll();
        if (accept) {
            SchemaCompatibility.Report report = SchemaCompatibility.compareDirectory(dir, schemas);
            System.out.println(report.describe());
            if (!report.isCompatible()) {
                throw new IllegalStateException("not accepting incompatible contract changes (see above): "
                        + "publish the changed message as a new type and topic version (.v2) instead");
            }
        }
        Files.createDirectories(dir);
        for (Map.Entry<String, ObjectNode> schema : schemas.entrySet()) {
            Path file = dir.resolve(schema.getKey());
            String text = toText(schema.getValue());
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                Files.writeString(file, text, StandardCharsets.UTF_8);
                if (accept) {
                    System.out.println("wrote " + file);
                }
            }
        }
    }

    private static com.github.victools.jsonschema.generator.SchemaGeneratorConfig config() {
        SchemaGeneratorConfigBuilder builder = new SchemaGeneratorConfigBuilder(
                JsonMapper.builder().build(), SchemaVersion.DRAFT_7, OptionPreset.PLAIN_JSON)
                .with(new JacksonSchemaModule(
                        JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE,
                        // the discriminator is added by finish(): one flat schema per message type
                        JacksonOption.SKIP_SUBTYPE_LOOKUP,
                        JacksonOption.IGNORE_TYPE_INFO_TRANSFORM))
                .with(Option.INLINE_ALL_SCHEMAS)
                .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                .with(Option.NULLABLE_FIELDS_BY_DEFAULT);
        builder.forFields()
                .withRequiredCheck(SchemaGenerator::isRequired)
                .withNullableCheck(field -> !isRequired(field));
        // keep the record's component order (the wire order) instead of sorting by name
        builder.forTypesInGeneral().withPropertySorter((a, b) -> 0);
        return builder.build();
    }

    private static boolean isRequired(FieldScope field) {
        if (field.getType().getErasedType().isPrimitive()) {
            return true;
        }
        Class<?> owner = field.getDeclaringType().getErasedType();
        return owner.isRecord() && requiredByConstructor(owner).contains(field.getDeclaredName());
    }

    private static final Map<Class<?>, Set<String>> REQUIRED_BY_CONSTRUCTOR = new ConcurrentHashMap<>();

    /** The reference components the canonical constructor of {@code record} refuses to be null. */
    static Set<String> requiredByConstructor(Class<?> record) {
        return REQUIRED_BY_CONSTRUCTOR.computeIfAbsent(record, SchemaGenerator::probeConstructor);
    }

    private static Set<String> probeConstructor(Class<?> record) {
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> constructor;
        try {
            constructor = record.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(record + " has no canonical constructor", e);
        }
        Object[] valid = Arrays.stream(types).map(SchemaGenerator::sample).toArray();
        try {
            constructor.newInstance(valid);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a sample " + record.getSimpleName()
                    + " to find its required components: " + cause(e), e);
        }
        Set<String> required = new TreeSet<>();
        for (int i = 0; i < components.length; i++) {
            if (types[i].isPrimitive()) {
                continue;
            }
            Object[] args = valid.clone();
            args[i] = null;
            try {
                constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                required.add(components[i].getName());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return required;
    }

    /** A valid value of a type: what the contract's constructors accept (versions start at 1). */
    private static Object sample(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return 1;
        } else if (type == long.class || type == Long.class) {
            return 1L;
        } else if (type == double.class || type == Double.class) {
            return 1.0;
        } else if (type == boolean.class || type == Boolean.class) {
            return false;
        } else if (type == String.class) {
            return "x";
        } else if (type.isEnum()) {
            return type.getEnumConstants()[0];
        } else if (List.class.isAssignableFrom(type)) {
            return List.of();
        } else if (Map.class.isAssignableFrom(type)) {
            return Map.of();
        } else if (type.isRecord()) {
            Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return constructor.newInstance(Arrays.stream(types).map(SchemaGenerator::sample).toArray());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build a sample " + type.getSimpleName() + ": " + cause(e), e);
            }
        }
        throw new IllegalStateException("no sample value for " + type + ": teach SchemaGenerator.sample about it");
    }

    private static String cause(ReflectiveOperationException e) {
        return e instanceof InvocationTargetException ite ? String.valueOf(ite.getCause()) : e.toString();
    }

    /** Top-level attributes, the discriminator, and a stable key order. */
    private static ObjectNode finish(MessageType type, ObjectNode generated) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode schema = nodes.objectNode();
        schema.put("$schema", generated.path("$schema").asString());
        schema.put("$id", CloudEventHeaders.dataSchemaOf(type.ceType()));
        schema.put("title", type.recordType().getSimpleName());
        schema.put("description", "Value of a record on topic " + type.topic().name() + " with ce_type "
                + type.ceType() + " (generated from " + type.recordType().getName() + "; do not edit, see schemas/README.md).");
        schema.put("type", "object");

        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = nodes.arrayNode();
        if (type.discriminator() != null) {
            ObjectNode discriminator = properties.putObject(type.discriminator());
            discriminator.put("type", "string");
            discriminator.put("const", type.discriminatorValue());
            required.add(type.discriminator());
        }
        generated.path("properties").properties().forEach(e -> properties.set(e.getKey(), e.getValue()));
        generated.path("required").forEach(required::add);
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        generated.properties().forEach(e -> {
            if (!schema.has(e.getKey()) && !e.getKey().equals("required")) {
                schema.set(e.getKey(), e.getValue());
            }
        });
        return schema;
    }

    private static String ceTypeOf(Class<?> type) {
        try {
            return (String) type.getField("CE_TYPE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " has no public static CE_TYPE", e);
        }
    }
}
