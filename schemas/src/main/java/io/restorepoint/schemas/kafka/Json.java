package io.restorepoint.schemas.kafka;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import java.math.BigDecimal;

/**
 * The JSON mapping of the contract: tolerant reader (unknown fields are ignored), and doubles written
 * as plain decimals ({@code 1613565541.4195538}, as in the Unicat API, never {@code 1.6135655414195538E9}).
 */
public final class Json {

    /** Writes finite doubles in plain notation with the shortest digits that round-trip. */
    public static final JacksonModule PLAIN_DOUBLES = new SimpleModule("restorepoint-plain-doubles")
            .addSerializer(Double.class, new PlainDouble())
            .addSerializer(double.class, new PlainDouble());

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(PLAIN_DOUBLES)
            .build();

    private Json() {
    }

    private static final class PlainDouble extends ValueSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializationContext context) {
            if (value.isNaN() || value.isInfinite()) {
                gen.writeNumber(value);
            } else {
                gen.writeNumber(BigDecimal.valueOf(value).toPlainString());
            }
        }
    }
}
