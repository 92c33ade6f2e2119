package io.restorepoint.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A plain Server-Sent Events client, as a browser's EventSource reads a stream: id, event, data, comments skipped. */
public final class SseClient implements AutoCloseable {

    /** One event. */
    public record Event(String id, String event, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> reading;
    private volatile InputStream body;
    private volatile int status;
    private volatile boolean ended;

    private SseClient(HttpRequest request) {
        reading = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenAcceptAsync(response -> {
            status = response.statusCode();
            body = response.body();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (data.length() > 0 || event != null) {
                            events.add(new Event(id, event, data.toString()));
                        }
                        id = null;
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
                    }
                }
            } catch (IOException ignored) {
                // closed by close()
            } finally {
                ended = true;
            }
        });
    }

    /**
     * @param lastEventId sent as {@code Last-Event-ID} when not null
     */
    public static SseClient open(String url, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(request.GET().build());
    }

    public List<Event> events() {
        return new ArrayList<>(events);
    }

    public int status() {
        return status;
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        reading.cancel(true);
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
