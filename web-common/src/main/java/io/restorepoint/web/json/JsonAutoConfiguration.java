package io.restorepoint.web.json;

import io.restorepoint.schemas.kafka.Json;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/** HTTP responses write numbers as the contract does: epoch seconds in plain notation. */
@AutoConfiguration
public class JsonAutoConfiguration {

    @Bean
    JsonMapperBuilderCustomizer restorepointPlainDoubles() {
        return builder -> builder.addModule(Json.PLAIN_DOUBLES);
    }
}
