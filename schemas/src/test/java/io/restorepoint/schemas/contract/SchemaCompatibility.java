package io.restorepoint.schemas.contract;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compares the JSON Schema of a message type as published (committed) with the one generated from the
 * records now, and classifies every difference.
 *
 * <p>Both producers and consumers of a topic are deployed independently and records stay on a topic for
 * days, so a schema must keep describing the records old producers wrote and new consumers read:
 * <ul>
 *   <li><b>incompatible</b>: a property removed or renamed; a new required property; a property that is
 *       no longer required; a property whose {@code type} (or {@code const}, {@code format}) changed; an
 *       enum value removed; unknown properties forbidden where they were allowed; a message type removed;
 *       anything in {@code anyOf/oneOf/allOf} changed (not compared in detail: review it by hand);</li>
 *   <li><b>compatible</b>: a new optional property, a new enum value (readers must tolerate unknown values),
 *       a constraint lifted, descriptions changed.</li>
 * </ul>
 * Local {@code $ref}s ({@code #/...}) are followed on both sides.
 */
public final class SchemaCompatibility {

    public enum Kind {
        /** Breaks a producer or consumer of the other version: fails the build. */
        INCOMPATIBLE,
        /** A message type with no committed schema: fails the build until the schema is generated and committed. */
        MISSING,
        /** Fine for both sides; regenerate and commit the schema to publish it. */
        COMPATIBLE
    }

    /** One difference. {@code path} is the property path in the message, {@code a/b[]/c}; empty for the whole schema. */
    public record Change(Kind kind, String schema, String path, String message) {
        @Override
        public String toString() {
            String where = path.isEmpty() ? schema : schema + " " + path;
            return switch (kind) {
                case INCOMPATIBLE -> "INCOMPATIBLE change  " + where + ": " + message;
                case MISSING -> "MISSING schema       " + where + ": " + message;
                case COMPATIBLE -> "compatible change    " + where + ": " + message;
            };
        }
    }

    public record Report(List<Change> changes) {

        public boolean isCompatible() {
            return changes.stream().noneMatch(c -> c.kind() == Kind.INCOMPATIBLE);
        }

        /** No incompatible change and no missing schema: what the build requires. */
        public boolean passes() {
            return changes.stream().allMatch(c -> c.kind() == Kind.COMPATIBLE);
        }

        public List<Change> of(Kind kind) {
            return changes.stream().filter(c -> c.kind() == kind).toList();
        }

        public String describe() {
            if (changes.isEmpty()) {
                return "JSON Schemas: the committed schemas match the records.";
            }
            StringBuilder text = new StringBuilder("JSON Schemas: the records differ from the committed schemas ("
                    + SchemaGenerator.COMMITTED_DIR + "):\n");
            changes.forEach(c -> text.append("  ").append(c).append('\n'));
            if (!of(Kind.INCOMPATIBLE).isEmpty()) {
                text.append("""
                        An incompatible change cannot go into an existing message type: its producers and consumers \
                        are deployed independently and old records stay on the topic. Undo it, or publish the new \
                        shape as a new message type and topic version (.v2) next to v1 (see schemas/README.md).
                        """);
            }
            if (!of(Kind.MISSING).isEmpty() || !of(Kind.COMPATIBLE).isEmpty()) {
                text.append("""
                        To publish compatible changes and new message types: regenerate the committed schemas with
                            mvn -B -q -pl schemas install -Dregenerate-schemas
                        and commit schemas/src/main/resources/schemas/*.json (the regeneration refuses incompatible changes).
                        """);
            }
            return text.toString();
        }
    }

    private SchemaCompatibility() {
    }

    /**
     * Compares the generated schemas (by file name) with the committed ones in {@code dir}; a committed
     * schema with no generated counterpart is a removed message type.
     */
    public static Report compareDirectory(Path dir, Map<String, ObjectNode> generated) {
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> schema : generated.entrySet()) {
            Path file = dir.resolve(schema.getKey());
            if (!Files.isRegularFile(file)) {
                changes.add(new Change(Kind.MISSING, schema.getKey(), "",
                        "no committed schema for this message type (ce_dataschema points to it)"));
                continue;
            }
            try {
                String committedText = Files.readString(file, StandardCharsets.UTF_8);
                List<Change> found = compare(schema.getKey(), SchemaGenerator.MAPPER.readTree(committedText), schema.getValue());
                changes.addAll(found);
                if (found.isEmpty() && !committedText.equals(SchemaGenerator.toText(schema.getValue()))) {
                    changes.add(new Change(Kind.COMPATIBLE, schema.getKey(), "",
                            "text differs (descriptions, order or formatting only)"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
                        .filter(n -> !generated.containsKey(n)).sorted()
                        .forEach(n -> changes.add(new Change(Kind.INCOMPATIBLE, n, "",
                                "message type removed (no record generates this schema any more)")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Report(changes);
    }

    /** The differences from {@code committed} to {@code generated}, both complete schema documents. */
    public static List<Change> compare(String schemaName, JsonNode committed, JsonNode generated) {
        Comparison comparison = new Comparison(schemaName, committed, generated);
        comparison.compare("", committed, generated);
        return comparison.changes;
    }

    private static final class Comparison {
        private final String schema;
        private final JsonNode oldRoot;
        private final JsonNode newRoot;
        private final List<Change> changes = new ArrayList<>();
        private final Set<JsonNode> visiting = Collections.newSetFromMap(new IdentityHashMap<>());

        Comparison(String schema, JsonNode oldRoot, JsonNode newRoot) {
            this.schema = schema;
            this.oldRoot = oldRoot;
            this.newRoot = newRoot;
        }

        void compare(String path, JsonNode oldNode, JsonNode newNode) {
            oldNode = resolve(oldRoot, oldNode);
            newNode = resolve(newRoot, newNode);
            if (!visiting.add(oldNode)) {
                return; // a recursive type: already being compared further up
            }
            try {
                compareTypes(path, oldNode, newNode);
                compareValue(path, "const", oldNode, newNode);
                compareValue(path, "format", oldNode, newNode);
                compareEnums(path, oldNode, newNode);
                compareProperties(path, oldNode, newNode);
                compareAdditionalProperties(path, oldNode, newNode);
                if (oldNode.has("items") && newNode.has("items")) {
                    compare(path + "[]", oldNode.get("items"), newNode.get("items"));
                }
                for (String keyword : List.of("anyOf", "oneOf", "allOf", "not", "if", "then", "else")) {
                    if (!oldNode.path(keyword).equals(newNode.path(keyword))) {
                        incompatible(path, keyword + " changed (not compared in detail: review it by hand)");
                    }
                }
            } finally {
                visiting.remove(oldNode);
            }
        }

        private void compareTypes(String path, JsonNode oldNode, JsonNode newNode) {
            Set<String> oldTypes = types(oldNode);
            Set<String> newTypes = types(newNode);
            if (!oldTypes.equals(newTypes)) {
                incompatible(path, "type changed from " + show(oldTypes) + " to " + show(newTypes));
            }
        }

        private void compareValue(String path, String keyword, JsonNode oldNode, JsonNode newNode) {
            if (!oldNode.path(keyword).equals(newNode.path(keyword))) {
                incompatible(path, keyword + " changed from " + show(oldNode.get(keyword)) + " to " + show(newNode.get(keyword)));
            }
        }

        private void compareEnums(String path, JsonNode oldNode, JsonNode newNode) {
            boolean oldHas = oldNode.has("enum");
            boolean newHas = newNode.has("enum");
            if (!oldHas && !newHas) {
                return;
            }
            if (!newHas) {
                compatible(path, "enum lifted (any value of the type is allowed now)");
                return;
            }
            if (!oldHas) {
                incompatible(path, "restricted to the enum " + show(newNode.get("enum")));
                return;
            }
            Set<JsonNode> oldValues = values(oldNode.get("enum"));
            Set<JsonNode> newValues = values(newNode.get("enum"));
            Set<JsonNode> removed = new LinkedHashSet<>(oldValues);
            removed.removeAll(newValues);
            Set<JsonNode> added = new LinkedHashSet<>(newValues);
            added.removeAll(oldValues);
            if (!removed.isEmpty()) {
                incompatible(path, "enum narrowed: value(s) " + show(removed) + " removed");
            }
            if (!added.isEmpty()) {
                compatible(path, "enum widened: value(s) " + show(added) + " added (readers must tolerate unknown values)");
            }
        }

        private void compareProperties(String path, JsonNode oldNode, JsonNode newNode) {
            JsonNode oldProperties = oldNode.path("properties");
            JsonNode newProperties = newNode.path("properties");
            Set<String> oldRequired = strings(oldNode.path("required"));
            Set<String> newRequired = strings(newNode.path("required"));
            Set<String> added = new TreeSet<>(names(newProperties));
            added.removeAll(names(oldProperties));

            for (String name : names(oldProperties)) {
                String at = child(path, name);
                if (!newProperties.has(name)) {
                    incompatible(at, "property removed" + (added.isEmpty() ? "" : " (or renamed to one of " + added + ")"));
                    continue;
                }
                if (!oldRequired.contains(name) && newRequired.contains(name)) {
                    incompatible(at, "property became required (records written before lack it)");
                } else if (oldRequired.contains(name) && !newRequired.contains(name)) {
                    incompatible(at, "property no longer required (consumers rely on it being there)");
                }
                compare(at, oldProperties.get(name), newProperties.get(name));
            }
            for (String name : added) {
                if (newRequired.contains(name)) {
                    incompatible(child(path, name), "new required property (records written before lack it)");
                } else {
                    compatible(child(path, name), "new optional property");
                }
            }
            // required names without a property of that name
            for (String name : newRequired) {
                if (!newProperties.has(name) && !oldRequired.contains(name)) {
                    incompatible(child(path, name), "new required property (records written before lack it)");
                }
            }
        }

        private void compareAdditionalProperties(String path, JsonNode oldNode, JsonNode newNode) {
            JsonNode oldAdditional = resolve(oldRoot, oldNode.path("additionalProperties"));
            JsonNode newAdditional = resolve(newRoot, newNode.path("additionalProperties"));
            if (oldAdditional.isObject() && newAdditional.isObject()) {
                compare(path + "{*}", oldAdditional, newAdditional);
            } else if (isFalse(newAdditional) && !isFalse(oldAdditional)) {
                incompatible(path, "unknown properties are no longer allowed");
            } else if (isFalse(oldAdditional) && !isFalse(newAdditional)) {
                compatible(path, "unknown properties are allowed now");
            } else if (oldAdditional.isObject() != newAdditional.isObject()) {
                incompatible(path, "additionalProperties changed from " + show(oldAdditional) + " to " + show(newAdditional));
            }
        }

        private static boolean isFalse(JsonNode node) {
            return node.isBoolean() && !node.booleanValue();
        }

        private JsonNode resolve(JsonNode root, JsonNode node) {
            int hops = 0;
            while (node.isObject() && node.has("$ref")) {
                String ref = node.get("$ref").asString();
                if (!ref.startsWith("#")) {
                    throw new IllegalArgumentException(schema + ": only local $refs are supported, found " + ref);
                }
                JsonNode target = root.at(ref.substring(1));
                if (target.isMissingNode() || ++hops > 64) {
                    throw new IllegalArgumentException(schema + ": cannot resolve $ref " + ref);
                }
                node = target;
            }
            return node;
        }

        private void incompatible(String path, String message) {
            changes.add(new Change(Kind.INCOMPATIBLE, schema, path, message));
        }

        private void compatible(String path, String message) {
            changes.add(new Change(Kind.COMPATIBLE, schema, path, message));
        }
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }

    private static Set<String> types(JsonNode node) {
        JsonNode type = node.path("type");
        if (type.isString()) {
            return Set.of(type.asString());
        }
        return strings(type);
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    private static Set<JsonNode> values(JsonNode array) {
        Set<JsonNode> values = new LinkedHashSet<>();
        array.forEach(values::add);
        return values;
    }

    private static List<String> names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.propertyNames().forEach(names::add);
        return names;
    }

    private static String show(Object value) {
        if (value == null) {
            return "(none)";
        }
        if (value instanceof Set<?> set) {
            return set.isEmpty() ? "(any)" : set.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }
}
