package io.restorepoint.gateway.schedules;

import org.springframework.scheduling.support.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When a schedule fires, including the missed-tick rule: ticks missed while no gateway ran are
 * <em>coalesced</em> into one backup for the most recent of them, taken at once if that tick is at most
 * {@code maxLateness} old, and skipped otherwise (the schedule then waits for its next tick). A schedule
 * never takes a burst of backups after downtime.
 */
public final class Ticks {

    private static final int MAX_STEPS = 1_000_000;

    private Ticks() {
    }

    /**
     * What to do about a schedule whose tick {@code due} has come.
     *
     * @param fire   whether to take a backup now
     * @param tick   the tick the backup stands for (the latest tick at or before now)
     * @param next   the first tick after now
     * @param missed ticks passed over without a backup (coalesced or too late)
     */
    public record Decision(boolean fire, Instant tick, Instant next, int missed) {
    }

    public static Decision decide(String cron, String zone, Instant due, Instant now, Duration maxLateness) {
        CronExpression expression = CronExpression.parse(cron);
        ZoneId zoneId = ZoneId.of(zone);
        Instant latest = due;
        int missed = 0;
        ZonedDateTime cursor = due.atZone(zoneId);
        for (int step = 0; step < MAX_STEPS; step++) {
            ZonedDateTime next = expression.next(cursor);
            if (next == null || next.toInstant().isAfter(now)) {
                break;
            }
            latest = next.toInstant();
            cursor = next;
            missed++;
        }
        Instant next = first(cron, zone, now);
        boolean fire = Duration.between(latest, now).compareTo(maxLateness) <= 0;
        return new Decision(fire, latest, next, fire ? missed : missed + 1);
    }

    /** The first tick strictly after {@code after}. */
    public static Instant first(String cron, String zone, Instant after) {
        ZonedDateTime next = CronExpression.parse(cron).next(after.atZone(ZoneId.of(zone)));
        if (next == null) {
            throw new IllegalArgumentException("cron expression '" + cron + "' never fires");
        }
        return next.toInstant();
    }
}
