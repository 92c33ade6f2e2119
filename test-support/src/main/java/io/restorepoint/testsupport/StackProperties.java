package io.restorepoint.testsupport;

import io.restorepoint.devinfra.DatabaseServer;

import java.util.LinkedHashMap;
import java.util.Map;

/** The RP_* settings that point a RestorePoint service at the shared test infrastructure. */
public final class StackProperties {

    private StackProperties() {
    }

    /** Settings for a service whose own tables live in {@code controlDatabase}. */
    public static Map<String, String> forService(String controlDatabase) {
        DatabaseServer db = SharedInfra.database();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RP_KAFKA_BOOTSTRAP", SharedInfra.kafka());
        env.put("RP_DB_HOST", db.host());
        env.put("RP_DB_PORT", Integer.toString(db.port()));
        env.put("RP_DB_USER", db.user());
        env.put("RP_DB_PASSWORD", db.password());
        env.put("RP_CONTROL_DB", controlDatabase);
        env.put("RP_JWT_SECRET", TestTokens.SECRET);
        // no default schedule: a 03:00 tick must not add a version in the middle of a test (ScheduleIT sets its own)
        env.put("RP_SCHEDULE_DEFAULT_CRON", "");
        // no rate limit: suites send bursts on purpose (RateLimitIT tests the limit itself)
        env.put("RP_RATE_LIMIT_ENABLED", "false");
        return env;
    }
}
