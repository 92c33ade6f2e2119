package io.restorepoint.engine;

import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.connect.DatabaseEndpoint;
import io.restorepoint.engine.load.StatementReader;
import io.restorepoint.testsupport.SharedInfra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers for engine tests: the shared server as an endpoint, and a plain replay of an artifact. */
final class EngineFixtures {

    private EngineFixtures() {
    }

    static DatabaseEndpoint endpoint() {
        DatabaseServer server = SharedInfra.database();
        return new DatabaseEndpoint(server.host(), server.port(), server.user(), server.password());
    }

    static ConnectionFactory database(String name) {
        return SharedInfra.database().connectionFactory(name);
    }

    /** Replays an artifact statement by statement into {@code target}: the plainest possible decoder. */
    static void replay(ArtifactStore store, ArtifactId id, String target) throws IOException {
        replay(store, id, database(target));
    }

    /** {@link #replay(ArtifactStore, ArtifactId, String)} into the database {@code target} connects to. */
    static void replay(ArtifactStore store, ArtifactId id, ConnectionFactory target) throws IOException {
        Manifest manifest = store.manifest(id).orElseThrow();
        List<String> statements = new ArrayList<>();
        statements.add("SET SESSION time_zone='+00:00'");
        statements.add("SET SESSION foreign_key_checks=0");
        for (Manifest.Table table : manifest.tables()) {
            try (InputStream in = store.open(id, table.schemaFile())) {
                String ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                statements.add(ddl.substring(0, ddl.length() - 1));
            }
            for (Manifest.Chunk chunk : table.chunks()) {
                try (StatementReader reader = StatementReader.compressed(store.open(id, chunk.file()))) {
                    for (String sql = reader.next(); sql != null; sql = reader.next()) {
                        statements.add(sql);
                    }
                }
            }
        }
        Sql.execute(target, statements);
    }
}
