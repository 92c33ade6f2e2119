package io.restorepoint.worker;

import io.restorepoint.engine.connect.NettyTuning;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One member of the worker pool: takes job commands from Kafka and runs them against the managed server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {

    public static void main(String[] args) {
        NettyTuning.apply();
        SpringApplication.run(WorkerApplication.class, args);
    }
}
