package io.restorepoint.sync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Turns the job topics into cursor-numbered feeds: catch-up over HTTP and live push over SSE. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SyncEventsApplication {

    public static void main(String[] args) {
        SpringApplication.run(SyncEventsApplication.class, args);
    }
}
