package io.restorepoint.schemas.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;

/**
 * Kafka serializer and deserializer for the contract's records. The value type comes from the
 * {@link io.restorepoint.schemas.Topic}, and polymorphic values carry their own {@code type} token,
 * so no Java class name ever travels in a header.
 */
public final class JsonSerde {

    private JsonSerde() {
    }

    public static <T> Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return Json.MAPPER.writeValueAsBytes(value);
            } catch (JacksonException e) {
                throw new SerializationException("cannot write " + value.getClass().getSimpleName() + " for " + topic, e);
            }
        };
    }

    public static <T> Deserializer<T> deserializer(Class<T> type) {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return Json.MAPPER.readValue(data, type);
            } catch (JacksonException | IllegalArgumentException e) {
                throw new SerializationException("not a valid " + type.getSimpleName() + " on " + topic + ": " + originalMessage(e), e);
            }
        };
    }

    private static String originalMessage(Exception e) {
        return e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
    }
}
