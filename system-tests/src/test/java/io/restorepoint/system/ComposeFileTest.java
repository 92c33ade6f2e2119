package io.restorepoint.system;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root {@code docker-compose.yml}, checked without a Docker engine: valid against the Compose
 * specification ({@code docker-compose config}, installed by {@code .ci/run}), and every service's
 * configuration consistent with what its application reads (its {@code application.yml}).
 */
class ComposeFileTest {

    static final List<String> SERVICES = List.of("gateway", "backup-worker", "sync-events");
    static final Map<String, String> HTTP_PORT = Map.of("gateway", "RP_GATEWAY_PORT", "backup-worker", "RP_WORKER_PORT",
            "sync-events", "RP_SYNC_PORT");
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(RP_[A-Z0-9_]+)(:([^}$]*))?");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s+import:\\s*(\\S+)\\s*$");

    static Path root;
    static Map<String, Object> compose;

    @BeforeAll
    static void read() throws IOException {
        root = Path.of("").toAbsolutePath().getParent();
        try (InputStream in = Files.newInputStream(root.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(in);
        }
    }

    @Test
    void isValidAgainstTheComposeSpecification() throws Exception {
        List<String> command = validator();
        Assumptions.assumeTrue(command != null, () -> {
            String reason = "SKIPPED compose validation: neither `docker-compose` nor the `docker compose` plugin is installed"
                    + " (.ci/run installs Debian's docker-compose; apt-get install docker-compose)";
            System.out.println(reason);
            return reason;
        });
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("-f", root.resolve("docker-compose.yml").toString(), "config", "-q"));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("RP_JWT_SECRET", "a-secret-for-validation-only-0123456789");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s says: %s", String.join(" ", command), output).isZero();
    }

    @Test
    void everyServiceIsBuiltFromItsModuleAndSetsOnlySettingsItReads() throws IOException {
        for (String name : SERVICES) {
            Map<String, Object> service = service(name);
            assertThat(map(map(service, "build"), "args")).as(name + " build args").containsEntry("MODULE", name);
            Set<String> reads = settingsRead(name).keySet();
            for (String variable : environment(service).keySet()) {
                if (variable.startsWith("RP_")) {
                    assertThat(reads).as(name + " sets " + variable + ", which its application.yml never reads").contains(variable);
                }
            }
        }
    }

    @Test
    void requiredSettingsAreThereAndSecretsComeFromTheEnvironment() throws IOException {
        for (String name : SERVICES) {
            Map<String, Object> env = environment(service(name));
            assertThat(env).as(name).containsKeys("RP_KAFKA_BOOTSTRAP", "RP_DB_HOST", "RP_DB_PASSWORD");
            assertThat(String.valueOf(env.get("RP_KAFKA_BOOTSTRAP"))).as(name + " broker").isEqualTo("kafka:9092");
            assertThat(String.valueOf(env.get("RP_DB_HOST"))).as(name + " database host").isEqualTo("mysql");
            if (settingsRead(name).containsKey("RP_JWT_SECRET")) {
                assertThat(String.valueOf(env.get("RP_JWT_SECRET"))).as(name + " JWT secret")
                        .startsWith("${RP_JWT_SECRET:?");
            }
            assertThat(String.valueOf(env.get("RP_DB_PASSWORD"))).as(name + " database password").startsWith("${RP_DB_PASSWORD");
        }
    }

    @Test
    void everyServiceThatUsesTheArtifactStoreMountsTheSameVolumeThere() throws IOException {
        Set<String> sources = new HashSet<>();
        for (String name : SERVICES) {
            if (!settingsRead(name).containsKey("RP_STORE_DIR")) {
                continue;
            }
            Object path = environment(service(name)).get("RP_STORE_DIR");
            assertThat(path).as(name + " sets RP_STORE_DIR (its default is relative to the working directory)").isNotNull();
            String mount = volumes(service(name)).stream().filter(v -> v.endsWith(":" + path)).findFirst().orElse(null);
            assertThat(mount).as(name + " mounts a volume at " + path).isNotNull();
            sources.add(mount.substring(0, mount.indexOf(':')));
        }
        assertThat(sources).as("one store shared by the gateway (import staging) and the workers").hasSize(1);
        assertThat(map(compose, "volumes")).containsKeys(sources.iterator().next(), "kafka-data", "mysql-data");
    }

    @Test
    void healthChecksProbeEachServicesOwnPortAndTheWorkerPoolHasTwoReplicas() throws IOException {
        for (String name : SERVICES) {
            String port = settingsRead(name).get(HTTP_PORT.get(name));
            Object test = map(service(name), "healthcheck").get("test");
            assertThat(String.valueOf(test)).as(name + " health check").contains("http://localhost:" + port + "/actuator/health/readiness");
            assertThat(map(service(name), "depends_on")).as(name + " waits for healthy infrastructure")
                    .containsEntry("kafka", Map.of("condition", "service_healthy"))
                    .containsEntry("mysql", Map.of("condition", "service_healthy"));
        }
        assertThat(map(service("backup-worker"), "deploy")).containsEntry("replicas", 2);
        assertThat(map(service("kafka"), "healthcheck")).containsKey("test");
        assertThat(map(service("mysql"), "healthcheck")).containsKey("test");
        assertThat(String.valueOf(service("kafka").get("image"))).startsWith("apache/kafka:");
        assertThat(String.valueOf(service("mysql").get("image"))).isEqualTo("mysql:8.4");
    }

    /** The RP_* variables a module's application.yml reads, with their defaults ("" when none). */
    /** The variables a service reads: its application.yml and the files it imports (spring.config.import: classpath:...). */
    private static Map<String, String> settingsRead(String module) throws IOException {
        String yaml = Files.readString(root.resolve(module).resolve("src/main/resources/application.yml"));
        Matcher imports = IMPORT.matcher(yaml);
        StringBuilder all = new StringBuilder(yaml);
        while (imports.find()) {
            for (String location : imports.group(1).split(",")) {
                String name = location.strip().replaceFirst("^classpath:", "");
                try (Stream<Path> files = Files.walk(root, 5)) {
                    Path fragment = files.filter(f -> f.endsWith(Path.of("src/main/resources", name))).findFirst()
                            .orElseThrow(() -> new AssertionError(module + " imports " + location + ", which no module holds"));
                    all.append('\n').append(Files.readString(fragment));
                }
            }
        }
        yaml = all.toString();
        Map<String, String> reads = new LinkedHashMap<>();
        Matcher m = PLACEHOLDER.matcher(yaml);
        while (m.find()) {
            reads.putIfAbsent(m.group(1), m.group(3) == null ? "" : m.group(3));
        }
        return reads;
    }

    private static List<String> validator() {
        for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
            try {
                List<String> version = new ArrayList<>(candidate);
                version.add("version");
                Process p = new ProcessBuilder(version).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not installed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static Map<String, Object> service(String name) {
        return map(map(compose, "services"), name);
    }

    private static Map<String, Object> environment(Map<String, Object> service) {
        return map(service, "environment");
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(Map<String, Object> service) {
        Object volumes = service.get("volumes");
        return volumes == null ? List.of() : (List<String>) volumes;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
