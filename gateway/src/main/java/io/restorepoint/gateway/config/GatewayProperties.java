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
 * @param imports           limits and waiting of {@code POST /api/backup/import}
 * @param maxJobsPerProject unfinished jobs a project may have (running and waiting); one more is refused
 * @param maxQueuedJobs     unfinished jobs of all projects together; past it every new job is refused (the
 *                          bound may be passed by as many jobs as are admitted at the same instant)
 * @param syncUrl           where sync-events listens; {@code /sync/**} is passed there (empty: not served here)
 * @param schedules         scheduled backups and their retention
 * @param rateLimit         how many API requests one caller may make
 * @param devSignInToken    local stack only: a token the console's one-click sign-in fetches from
 *                          {@code GET /dev/sign-in}; empty (the default) turns that endpoint off
 */
@ConfigurationProperties("restorepoint.gateway")
public record GatewayProperties(
        @DefaultValue List<BootstrapProject> bootstrapProjects,
        @DefaultValue("demo") String defaultProject,
        @DefaultValue("sesiones") List<String> exportExclude,
        @DefaultValue Imports imports,
        @DefaultValue("5") int maxJobsPerProject,
        @DefaultValue("1000") int maxQueuedJobs,
        @DefaultValue("http://127.0.0.1:3002") String syncUrl,
        @DefaultValue Schedules schedules,
        @DefaultValue RateLimit rateLimit,
        String devSignInToken) {

    /**
     * A token bucket per caller (the JWT subject) over every authenticated {@code /api/**} request (calls
     * without a valid token are answered 401 before); past it the gateway answers 429 with
     * {@code Retry-After}. Per gateway instance: behind a load balancer of N instances a caller gets up to N
     * times this.
     *
     * @param enabled           whether requests are limited
     * @param requestsPerMinute sustained rate per caller
     * @param burst             requests a caller may make at once after being idle
     */
    public record RateLimit(@DefaultValue("true") boolean enabled, @DefaultValue("600") int requestsPerMinute,
            @DefaultValue("100") int burst) {
    }

    /**
     * Scheduled backups ({@code restorepoint.gateway.schedules.*}); docs/design/0010-schedules-and-retention.md.
     *
     * @param enabled          whether this gateway fires schedules and applies retention (any number of gateways
     *                         may: each tick is taken by exactly one)
     * @param pollInterval     how often due schedules are looked for (a tick fires at most this late)
     * @param maxLateness      a tick missed while no gateway ran is still taken if at most this old; older ones
     *                         are skipped (missed ticks are coalesced into one backup either way)
     * @param defaultCron      the schedule of a project that sets one without a cron expression, and of the
     *                         bootstrap projects (Spring cron, six fields: daily at 03:00); empty: bootstrap
     *                         projects get no schedule
     * @param defaultZone      time zone of cron expressions that name none
     * @param defaultKeepLast  retention default: newest scheduled backups kept
     * @param defaultKeepDays  retention default: scheduled backups younger than this many days kept
     * @param retentionInterval how often retention looks at every project (and after each scheduled backup)
     * @param minInterval       the shortest time between two ticks a schedule may have
     */
    public record Schedules(@DefaultValue("true") boolean enabled, @DefaultValue("10s") java.time.Duration pollInterval,
            @DefaultValue("12h") java.time.Duration maxLateness, @DefaultValue("0 0 3 * * *") String defaultCron,
            @DefaultValue("UTC") String defaultZone, @DefaultValue("7") int defaultKeepLast,
            @DefaultValue("30") int defaultKeepDays, @DefaultValue("5m") java.time.Duration retentionInterval,
            @DefaultValue("15m") java.time.Duration minInterval) {
    }

    @Override
    public String toString() {
        return "GatewayProperties[defaultProject=" + defaultProject + ", syncUrl=" + syncUrl + ", devSignIn="
                + (devSignInToken == null || devSignInToken.isBlank() ? "off" : "on") + "]";
    }

    /**
     * @param maxBytes  the largest document accepted (413 beyond)
     * @param waitFor   how long the call waits for the import job before answering 202 with its token
     * @param spool     where request bodies are spooled while they are validated
     * @param passwordHashColumns columns ({@code table.column}) that hold password hashes: an import refuses
     *                  a value in them that is not a recognised hash format (a plaintext password), so
     *                  passwords stay hashed; the scrap system's {@code usuarios.contra} by default
     */
    public record Imports(@DefaultValue("1GB") org.springframework.util.unit.DataSize maxBytes,
            @DefaultValue("120s") java.time.Duration waitFor,
            @DefaultValue("${java.io.tmpdir}") java.nio.file.Path spool,
            @DefaultValue("usuarios.contra") List<String> passwordHashColumns) {
    }

    /**
     * @param id       project gid
     * @param name     display name
     * @param database the project's database
     * @param server   the database server it is on (a name of {@code restorepoint.servers}; absent: {@code default}).
     *                 Only a new project takes it: an existing one is never moved.
     * @param owner    user id (JWT {@code sub}) of the project's owner
     */
    public record BootstrapProject(String id, String name, String database, String server, String owner) {

        public BootstrapProject {
            server = server == null || server.isBlank() ? io.restorepoint.engine.connect.DatabaseServers.DEFAULT : server.strip();
        }
    }
}
