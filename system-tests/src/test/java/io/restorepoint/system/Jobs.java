package io.restorepoint.system;

import io.restorepoint.local.LocalStack;
import io.restorepoint.testsupport.Await;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.restorepoint.devinfra.Sql;

/** Following jobs and looking at the project database, as a client and an operator would. */
final class Jobs {

    private Jobs() {
    }

    /** The job's current state from {@code GET /api/p/demo/jobs/<token>}. */
    static JsonNode state(LocalStack stack, String token, String job) {
        return Api.get(stack.gatewayUrl() + "/api/p/demo/jobs/" + job, token).body().get("result").get("job");
    }

    /** Waits until the job is done or rejected and returns its last state. */
    static JsonNode awaitEnd(LocalStack stack, String token, String job, Duration timeout) {
        return Await.until("job " + job + " ends", timeout, () -> state(stack, token, job),
                s -> s.get("status").asString().matches("done|rejected"));
    }

    static String create(LocalStack stack, String token, String createdBy) {
        Api.Response created = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/create", token,
                "{\"created_by\":\"" + createdBy + "\"}");
        if (created.status() != 200) {
            throw new AssertionError("create answered " + created.status() + ": " + created.body());
        }
        return created.body().get("result").get("job.token").asString() + "#" + created.body().get("result").get("version").asInt();
    }

    /** CHECKSUM TABLE of every table of the demo database. */
    static Map<String, Object> checksums(LocalStack stack) {
        return Sql.tableChecksums(stack.database().connectionFactory(null), LocalStack.DEMO_DATABASE);
    }

    /** Flips one bit in the middle of the first data file of {@code table} in a version's artifact. */
    static void corrupt(LocalStack stack, int version, String table) throws IOException {
        Path dir = stack.storeDir().resolve("demo").resolve(String.format("%06d", version)).resolve("data");
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.filter(f -> f.getFileName().toString().startsWith(table + ".")).sorted().findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raf.length() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }
    }

    static JsonNode versions(LocalStack stack, String token) {
        return Api.get(stack.gatewayUrl() + "/api/p/demo/init", token).body().get("data").get("cc.projects").get("demo")
                .get("backups").get("versions");
    }

    static JsonNode version(LocalStack stack, String token, int version) {
        for (JsonNode v : versions(stack, token)) {
            if (v.get("version").asInt() == version) {
                return v;
            }
        }
        return null;
    }

    static List<String> statuses(LocalStack stack, String token, String job) {
        return WalkingSkeletonIT.jobEvents(stack, token, job).stream().map(e -> e.get("data").get("status").asString()).toList();
    }
}
