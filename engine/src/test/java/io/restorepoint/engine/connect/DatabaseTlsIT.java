package io.restorepoint.engine.connect;

import io.restorepoint.devinfra.EmbeddedMariaDb;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.load.LoadOptions;
import io.restorepoint.engine.load.LoadProgress;
import io.restorepoint.engine.load.Loader;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS to the managed server, on a real MariaDB speaking TLS with the test certificates of
 * {@code src/test/resources/tls}: every mode connects (or refuses) as documented, and a dump and restore
 * run whole over a verified connection.
 */
class DatabaseTlsIT {

    static EmbeddedMariaDb server;
    static Path ca;
    static Path otherCa;

    @BeforeAll
    static void startTlsServer() throws IOException {
        Path dir = SharedInfra.dir().resolve("tls-mariadb");
        Path pem = Files.createDirectories(dir.resolve("pem"));
        for (String name : new String[] {"ca.pem", "other-ca.pem", "server.pem", "server-key.pem"}) {
            try (InputStream in = DatabaseTlsIT.class.getResourceAsStream("/tls/" + name)) {
                Files.copy(in, pem.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        ca = pem.resolve("ca.pem");
        otherCa = pem.resolve("other-ca.pem");
        server = EmbeddedMariaDb.startWithTls(dir.resolve("server"), 0, ca, pem.resolve("server.pem"), pem.resolve("server-key.pem"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static DatabaseEndpoint endpoint(String host, DatabaseEndpoint.Tls tls) {
        return new DatabaseEndpoint(host, server.port(), server.user(), server.password(), tls);
    }

    /** The cipher of the session, as the server sees it (empty: no TLS). */
    static String cipher(DatabaseEndpoint endpoint) {
        return String.valueOf(Sql.query(endpoint.connectionFactory(null), "SHOW SESSION STATUS LIKE 'Ssl_cipher'")
                .get(0).get("Value"));
    }

    @Test
    void eachModeConnectsAsDocumented() {
        assertThat(cipher(endpoint("127.0.0.1", DatabaseEndpoint.Tls.of("disabled", null)))).as("disabled").isEmpty();
        assertThat(cipher(endpoint("127.0.0.1", DatabaseEndpoint.Tls.PREFERRED))).as("preferred, offered").isNotEmpty();
        assertThat(cipher(endpoint("127.0.0.1", DatabaseEndpoint.Tls.of("required", null)))).as("required").isNotEmpty();
        assertThat(cipher(endpoint("127.0.0.1", DatabaseEndpoint.Tls.of("verify-ca", ca.toString())))).as("verify-ca").isNotEmpty();
        assertThat(cipher(endpoint("localhost", DatabaseEndpoint.Tls.of("VERIFY_IDENTITY", ca.toString()))))
                .as("verify-identity, the certificate names localhost").isNotEmpty();
    }

    @Test
    void verificationRefusesAServerTheCaDidNotSignOrThatIsNamedOtherwise() {
        assertThatThrownBy(() -> cipher(endpoint("127.0.0.1", DatabaseEndpoint.Tls.of("verify-ca", otherCa.toString()))))
                .as("another CA").hasStackTraceContaining("certif");
        // the certificate names 127.0.0.1 and localhost; the same server under another of its names is refused
        String otherName = java.net.InetAddress.getLoopbackAddress().getHostAddress().equals("127.0.0.1") ? "127.0.0.2" : "127.0.0.1";
        DatabaseEndpoint misnamed = endpoint(otherName, DatabaseEndpoint.Tls.of("verify-identity", ca.toString()));
        assertThatThrownBy(() -> cipher(misnamed)).as("host " + otherName).isInstanceOf(RuntimeException.class);
        // the same host under verify-ca (no name check) is accepted: the refusal above was the name
        assertThat(cipher(endpoint(otherName, DatabaseEndpoint.Tls.of("verify-ca", ca.toString())))).isNotEmpty();
    }

    @Test
    void requiredNeverFallsBackToPlainText() {
        // the shared embedded server runs with --skip-ssl; MySQL 8.4 in a container offers TLS
        org.junit.jupiter.api.Assumptions.assumeFalse(SharedInfra.containers(),
                "the shared MySQL container offers TLS; a server without it is the embedded one only");
        var plain = SharedInfra.database();
        DatabaseEndpoint required = new DatabaseEndpoint(plain.host(), plain.port(), plain.user(), plain.password(),
                DatabaseEndpoint.Tls.of("required", null));
        long started = System.nanoTime();
        assertThatThrownBy(() -> cipher(required)).hasMessageContaining("does not support SSL")
                .satisfies(e -> System.out.printf("required against a server without TLS, after %d ms: %s%n",
                        (System.nanoTime() - started) / 1_000_000, e));
        assertThat(cipher(new DatabaseEndpoint(plain.host(), plain.port(), plain.user(), plain.password())))
                .as("preferred falls back when the server offers no TLS").isEmpty();
    }

    @Test
    void aDumpAndRestoreRunWholeOverVerifiedTls(@TempDir Path storeDir) {
        DatabaseEndpoint verified = endpoint("localhost", DatabaseEndpoint.Tls.of("verify-identity", ca.toString()));
        var admin = verified.connectionFactory(null);
        Sql.execute(admin, "CREATE DATABASE tls_live CHARACTER SET utf8mb4",
                "CREATE TABLE tls_live.t (id INT PRIMARY KEY, v VARCHAR(40), b BLOB)",
                "INSERT INTO tls_live.t SELECT seq, CONCAT('row ', seq), UNHEX(MD5(seq)) FROM tls_live.seq_1_to_5000");
        Map<String, Object> before = Sql.tableChecksums(admin, "tls_live");

        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        ArtifactId id = new ArtifactId("tls", 1);
        Manifest manifest = new Dumper(verified.connectionFactory(null), store, DumpOptions.defaults().withConnections(2).withChunkRows(1000))
                .dump(new DumpRequest(id, "dump", "tls_live"), new DumpProgress()).block(Duration.ofMinutes(2));
        assertThat(manifest.totalRows()).isEqualTo(5000);

        Sql.execute(admin, "DELETE FROM tls_live.t WHERE id % 3 = 0");
        Loader loader = new Loader(verified.connectionFactory(null), store, new LoadOptions(2));
        assertThat(loader.load(id, manifest, "tls_live_shadow", "tls_live", new LoadProgress()).block(Duration.ofMinutes(2))).isEqualTo(5000);
        loader.swap("tls_live", "tls_live_shadow", "tls_live_old").block(Duration.ofMinutes(1));
        assertThat(Sql.tableChecksums(admin, "tls_live")).isEqualTo(before);
    }

    @Test
    void settingsAreCheckedBeforeAnyConnection() {
        assertThat(DatabaseEndpoint.Tls.of(null, null)).isEqualTo(DatabaseEndpoint.Tls.PREFERRED);
        assertThat(DatabaseEndpoint.Tls.of(" Verify-CA ", " " + ca + " ").ca()).isEqualTo(ca);
        assertThatThrownBy(() -> DatabaseEndpoint.Tls.of("tunnel", null)).hasMessageContaining("unknown TLS mode 'tunnel'")
                .hasMessageContaining("disabled, preferred, required, verify-ca, verify-identity");
        assertThatThrownBy(() -> DatabaseEndpoint.Tls.of("required", ca.toString()))
                .hasMessageContaining("only used by the verify-ca and verify-identity modes");
        assertThatThrownBy(() -> DatabaseEndpoint.Tls.of("verify-ca", "/no/such/ca.pem")).hasMessageContaining("not readable");
        assertThat(new DatabaseEndpoint("h", 1, "u", "secret", DatabaseEndpoint.Tls.of("verify-ca", ca.toString())).toString())
                .doesNotContain("secret").contains("tls verify-ca");
    }
}
