package io.restorepoint.system;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.local.LocalStack;
import io.restorepoint.testsupport.Await;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup travels the whole way: HTTP → gateway → Kafka → worker → artifact, and its job events reach
 * the client over {@code /sync/get} and SSE.
 */
class WalkingSkeletonIT {

    @Test
    void backupOverHttpEndsDoneInBothFeedsWithAnArtifactMatchingTheDatabase() throws Exception {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();

        // the live stream is opened first, from the beginning of the feed, through the gateway's /sync
        HttpRequest streamRequest = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/sync/stream?cursor=0"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        List<String> streamLines = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<HttpResponse<java.io.InputStream>> stream = Api.client()
                .sendAsync(streamRequest, HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<Void> reader = stream.thenAcceptAsync(response -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    streamLines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the stream is closed at the end of the test
            }
        });

        // the caller's W3C trace context: continued by the gateway, carried by the command to the worker and
        // by every job event to the feed
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Api.Response created = Api.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/p/demo/backups/create"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"created_by\":\"walking skeleton\",\"name\":\"E2E backup\"}"))
                .build());
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.raw().headers().firstValue("traceparent")).hasValueSatisfying(
                answered -> assertThat(answered).startsWith("00-" + traceId + "-").doesNotContain("00f067aa0ba902b7"));
        String job = created.body().get("result").get("job.token").asString();
        int version = created.body().get("result").get("version").asInt();

        List<JsonNode> events = Await.until("job " + job + " done in /sync/get", Duration.ofSeconds(60),
                () -> jobEvents(stack, token, job), list -> !list.isEmpty()
                        && list.get(list.size() - 1).get("data").get("status").asString().matches("done|rejected"));
        List<String> statuses = events.stream().map(e -> e.get("data").get("status").asString()).toList();
        assertThat(Api.post(stack.gatewayUrl() + "/sync/get", token, "{\"cc.cursor\":0}").body().get("result").get("events").size())
                .as("the gateway serves the same feed under /sync").isGreaterThanOrEqualTo(events.size());
        assertThat(statuses.get(0)).isEqualTo("queued");
        assertThat(statuses).contains("processing");
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo("done");
        assertThat(statuses.subList(1, statuses.size() - 1)).containsOnly("processing");
        assertThat(events.stream().map(e -> e.get("cursor").asLong()).toList()).isSorted().doesNotHaveDuplicates();
        JsonNode done = events.get(events.size() - 1);
        assertThat(done.get("data_key").asString()).isEqualTo(job);
        assertThat(done.get("data").get("info").get("remaining").asLong()).isZero();
        assertThat(events).as("queued (gateway), processing and done (worker) carry the request's trace")
                .allSatisfy(e -> assertThat(e.get("data").get("trace_id").asString()).isEqualTo(traceId));
        try (var logs = Files.list(stack.logsDir())) {
            String workerLog = logs.filter(f -> f.getFileName().toString().startsWith("backup-worker"))
                    .map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).reduce("", String::concat);
            assertThat(workerLog.lines().filter(l -> l.contains(job)))
                    .as("the worker logs the job under the request's trace id")
                    .anyMatch(l -> l.contains("[" + traceId + "]"));
        }

        Await.until("done over SSE", Duration.ofSeconds(30), () -> List.copyOf(streamLines),
                lines -> lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains(job) && l.contains("\"status\":\"done\"")));
        assertThat(streamLines).anyMatch(l -> l.startsWith("id:"));
        stream.cancel(true);
        reader.cancel(true);

        // the artifact: manifest row counts and checksums match the database and the files
        Path dir = stack.storeDir().resolve("demo").resolve(String.format("%06d", version));
        Manifest manifest = ArtifactFormat.JSON.readValue(dir.resolve("manifest.json").toFile(), Manifest.class);
        assertThat(manifest.jobToken()).isEqualTo(job);
        var db = stack.database().connectionFactory(LocalStack.DEMO_DATABASE);
        assertThat((long) manifest.tables().size()).isEqualTo(((Number) Sql.scalar(db, "SELECT COUNT(*) FROM "
                + "information_schema.TABLES WHERE TABLE_SCHEMA = '" + LocalStack.DEMO_DATABASE + "'")).longValue());
        for (Manifest.Table table : manifest.tables()) {
            long rows = ((Number) Sql.scalar(db, "SELECT COUNT(*) FROM `" + table.name() + "`")).longValue();
            assertThat(table.rows()).as("rows of " + table.name()).isEqualTo(rows);
            for (Manifest.Chunk chunk : table.chunks()) {
                byte[] stored = Files.readAllBytes(dir.resolve(chunk.file()));
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
                        .as("checksum of " + chunk.file()).isEqualTo(chunk.sha256());
            }
        }

        // the version is now listed as valid
        JsonNode next = Api.get(stack.gatewayUrl() + "/api/p/demo/init", token).body();
        JsonNode listed = null;
        for (JsonNode v : next.get("data").get("cc.projects").get("demo").get("backups").get("versions")) {
            if (v.get("version").asInt() == version) {
                listed = v;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("status").asString()).isEqualTo("valid");
        assertThat(listed.get("size").asLong()).isEqualTo(manifest.totalBytes());
    }

    static List<JsonNode> jobEvents(LocalStack stack, String token, String job) {
        List<JsonNode> out = new ArrayList<>();
        long cursor = 0;
        while (true) {
            Api.Response page = Api.post(stack.syncUrl() + "/sync/get", token, "{\"cc.cursor\":" + cursor + "}");
            JsonNode result = page.body().get("result");
            for (JsonNode event : result.get("events")) {
                if (job.equals(event.get("data_key").asString())) {
                    out.add(event);
                }
            }
            cursor = result.get("cc.cursor").asLong();
            if (!result.get("more").asBoolean()) {
                return out;
            }
        }
    }
}
