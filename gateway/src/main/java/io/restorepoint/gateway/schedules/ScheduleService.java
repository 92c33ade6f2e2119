package io.restorepoint.gateway.schedules;

import io.restorepoint.gateway.config.GatewayProperties;
import io.restorepoint.gateway.control.Schedule;
import io.restorepoint.gateway.control.ScheduleStore;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.web.envelope.ApiException;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Pattern;

/** Reading and setting a project's schedule; every change is checked whole before anything is stored. */
@Service
public class ScheduleService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ScheduleStore schedules;
    private final GatewayProperties.Schedules settings;

    public ScheduleService(ScheduleStore schedules, GatewayProperties properties) {
        this.schedules = schedules;
        this.settings = properties.schedules();
    }

    /** What a caller may change; null fields keep the current value (or the default for a new schedule). */
    public record Change(String name, String cron, String zone, Boolean enabled, Integer keepLast, Integer keepDays) {
    }

    public Mono<Schedule> find(String project) {
        return schedules.find(project);
    }

    /** Sets the schedule; the next tick is computed from now. 422 for a bad cron expression, zone or name. */
    public Mono<Schedule> set(String project, Change change) {
        return schedules.find(project)
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .flatMap(current -> {
                    Schedule base = current.orElse(null);
                    String name = pick(change.name(), base == null ? "daily" : base.name());
                    String cron = pick(change.cron(), base == null ? settings.defaultCron() : base.cron());
                    String zone = pick(change.zone(), base == null ? settings.defaultZone() : base.zone());
                    boolean enabled = change.enabled() != null ? change.enabled() : base == null || base.enabled();
                    int keepLast = change.keepLast() != null ? change.keepLast() : base == null ? settings.defaultKeepLast() : base.keepLast();
                    int keepDays = change.keepDays() != null ? change.keepDays() : base == null ? settings.defaultKeepDays() : base.keepDays();
                    validate(name, cron, zone, settings.minInterval());
                    // the pending tick stands unless when it fires changed (a due tick is not skipped by a
                    // change of retention)
                    boolean sameTicks = base != null && base.cron().equals(cron) && base.zone().equals(zone)
                            && base.enabled() == enabled;
                    if (sameTicks) {
                        return schedules.updateRetention(project, name, keepLast, keepDays, EpochSeconds.now())
                                .then(schedules.find(project));
                    }
                    double next = Ticks.first(cron, zone, Instant.now()).toEpochMilli() / 1000.0;
                    Schedule schedule = new Schedule(project, name, cron, zone, enabled, keepLast, keepDays, next,
                            base == null ? null : base.lastFiredAt());
                    return schedules.save(schedule, EpochSeconds.now()).thenReturn(schedule);
                });
    }

    /** The default schedule for a bootstrap project, unless it has one or defaults are off. */
    public Mono<Boolean> ensureDefault(String project) {
        if (settings.defaultCron() == null || settings.defaultCron().isBlank()) {
            return Mono.just(false);
        }
        double next = Ticks.first(settings.defaultCron(), settings.defaultZone(), Instant.now()).toEpochMilli() / 1000.0;
        return schedules.ensure(new Schedule(project, "daily", settings.defaultCron(), settings.defaultZone(), true,
                settings.defaultKeepLast(), settings.defaultKeepDays(), next, null), EpochSeconds.now());
    }

    static void validate(String name, String cron, String zone, java.time.Duration minInterval) {
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "name must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (cron.length() > 120 || !CronExpression.isValidExpression(cron)) {
            throw invalid("cron", "cron must be a cron expression with six fields (second minute hour day month weekday), "
                    + "e.g. '0 0 3 * * *' for daily at 03:00");
        }
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw invalid("zone", "zone must be a time zone id such as 'UTC' or 'Europe/Madrid'");
        }
        Instant first;
        Instant second;
        try {
            first = Ticks.first(cron, zone, Instant.now());
            second = Ticks.first(cron, zone, first);
        } catch (IllegalArgumentException e) {
            throw invalid("cron", e.getMessage());
        }
        if (java.time.Duration.between(first, second).compareTo(minInterval) < 0) {
            throw invalid("cron", "cron fires more often than every " + minInterval.toString().substring(2).toLowerCase()
                    + " (restorepoint.gateway.schedules.min-interval); every backup is a full copy");
        }
    }

    private static String pick(String given, String fallback) {
        return given != null ? given : fallback;
    }

    private static ApiException invalid(String parameter, String message) {
        return ApiException.unprocessable(message, Map.of("parameter", parameter));
    }
}
