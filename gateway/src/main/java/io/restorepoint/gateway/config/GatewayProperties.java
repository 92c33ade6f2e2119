package io.restorepoint.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Gateway settings ({@code restorepoint.gateway.*}).
 *
 * @param bootstrapProjects projects ensured at start-up (created if missing, never changed if present):
 *                          how the local stack registers the demo project, and how a compose deployment
 *                          declares its first project
 * @param defaultProject    the project the table export/import API ({@code /api/backup/*}) works on
 * @param exportExclude     tables never exported (the session table)
 * @param managedDatabase   the server holding the projects' databases (read by export and stats)
 * @param store             the artifact store (shared with the workers): where validated imports are staged
 * @param imports           limits and waiting of {@code POST /api/backup/import}
 * @param maxJobsPerProject unfinished jobs a project may have (running and waiting); one more is refused
 * @param maxQueuedJobs     unfinished jobs of all projects together; past it every new job is refused (the
 *                          bound may be passed by as many jobs as are admitted at the same instant)
 * @param syncUrl           where sync-events listens; {@code /sync/**} is passed there (empty: not served here)
 * @param devSignInToken    local stack only: a token the console's one-click sign-in fetches from
 *                          {@code GET /dev/sign-in}; empty (the default) turns that endpoint off
 */
@ConfigurationProperties("restorepoint.gateway")
public record GatewayProperties(
        @DefaultValue List<BootstrapProject> bootstrapProjects,
        @DefaultValue("demo") String defaultProject,
        @DefaultValue("sesiones") List<String> exportExclude,
        @DefaultValue ManagedDatabase managedDatabase,
        @DefaultValue Store store,
        @DefaultValue Imports imports,
        @DefaultValue("5") int maxJobsPerProject,
        @DefaultValue("1000") int maxQueuedJobs,
        @DefaultValue("http://127.0.0.1:3002") String syncUrl,
        String devSignInToken) {

    @Override
    public String toString() {
        return "GatewayProperties[defaultProject=" + defaultProject + ", syncUrl=" + syncUrl + ", devSignIn="
                + (devSignInToken == null || devSignInToken.isBlank() ? "off" : "on") + "]";
    }

    /** @param path root of the filesystem artifact store, the same as the workers' */
    public record Store(@DefaultValue("restorepoint-store") java.nio.file.Path path) {
    }

    /**
     * @param maxBytes  the largest document accepted (413 beyond)
     * @param waitFor   how long the call waits for the import job before answering 202 with its token
     * @param spool     where request bodies are spooled while they are validated
     */
    public record Imports(@DefaultValue("1GB") org.springframework.util.unit.DataSize maxBytes,
            @DefaultValue("120s") java.time.Duration waitFor,
            @DefaultValue("${java.io.tmpdir}") java.nio.file.Path spool) {
    }

    /** Host, port and account of the managed server; the password is never logged. */
    public record ManagedDatabase(@DefaultValue("127.0.0.1") String host, @DefaultValue("3306") int port,
            @DefaultValue("root") String user, String password) {

        @Override
        public String toString() {
            return "ManagedDatabase[" + user + "@" + host + ":" + port + "]";
        }
    }

    /**
     * @param id       project gid
     * @param name     display name
     * @param database the project's database on the managed server
     * @param owner    user id (JWT {@code sub}) of the project's owner
     */
    public record BootstrapProject(String id, String name, String database, String owner) {
    }
}
