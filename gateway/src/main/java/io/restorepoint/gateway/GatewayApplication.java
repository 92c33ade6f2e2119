package io.restorepoint.gateway;

import io.restorepoint.engine.connect.NettyTuning;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The HTTP API: validates JWTs, keeps the control data, publishes job commands to Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        NettyTuning.apply();
        SpringApplication.run(GatewayApplication.class, args);
    }
}
