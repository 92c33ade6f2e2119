package io.restorepoint.gateway.schedules;

import io.restorepoint.gateway.backups.BackupService;
import io.restorepoint.gateway.config.GatewayProperties;
import io.restorepoint.gateway.control.Schedule;
import io.restorepoint.gateway.control.ScheduleStore;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.kafka.TraceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fires due schedules and applies retention, every poll interval, on every gateway that has schedules
 * enabled. Instances do not coordinate beyond the database: a tick is claimed by compare-and-set in the
 * transaction that records its backup ({@link BackupService#createScheduled}), so it fires exactly once
 * however many gateways poll.
 */
@Component
public class ScheduleRunner {

    private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    private final GatewayProperties.Schedules settings;
    private final ScheduleStore schedules;
    private final BackupService backups;
    private ScheduledExecutorService timer;
    private volatile long nextSweepNanos = System.nanoTime();

    public ScheduleRunner(GatewayProperties properties, ScheduleStore schedules, BackupService backups) {
        this.settings = properties.schedules();
        this.schedules = schedules;
        this.backups = backups;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (!settings.enabled() || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "schedules");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, settings.pollInterval().toMillis());
        timer.scheduleWithFixedDelay(this::pollQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    @jakarta.annotation.PreDestroy
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private void pollQuietly() {
        try {
            poll(Instant.now());
        } catch (RuntimeException e) {
            log.warn("schedule poll failed (tried again in {}): {}", settings.pollInterval(), e.toString());
        }
    }

    /**
     * One round: fire what is due at {@code now}; then apply retention to the projects that just took a
     * backup, or to every project once per {@code retention-interval}. Returns the backups taken.
     */
    public List<BackupService.Accepted> poll(Instant now) {
        List<BackupService.Accepted> taken = schedules.due(now.getEpochSecond() + now.getNano() / 1e9)
                .concatMap(schedule -> fire(schedule, now)
                        .onErrorResume(e -> {
                            // a refusal before the commit leaves the tick due (tried again at the next poll); a
                            // broker failure after it ends the job rejected (JobQueue), like any other backup
                            log.warn("schedule of {} could not take its backup: {}", schedule.project(), e.toString());
                            return Mono.empty();
                        }))
                .collectList()
                // no timeout: cancelling between the commit and the publication would strand the job; the
                // publication has its own (Kafka's delivery timeout) and ends the job rejected when it passes
                .block();
        boolean sweep = System.nanoTime() - nextSweepNanos >= 0;
        if (sweep) {
            nextSweepNanos = System.nanoTime() + settings.retentionInterval().toNanos();
        }
        java.util.Set<String> fired = new java.util.HashSet<>();
        taken.forEach(accepted -> fired.add(accepted.project()));
        if (!sweep && fired.isEmpty()) {
            return taken;
        }
        schedules.all()
                .filter(schedule -> sweep || fired.contains(schedule.project()))
                .concatMap(schedule -> expire(schedule).onErrorResume(e -> {
                    log.warn("retention of {} failed: {}", schedule.project(), e.toString());
                    return Mono.empty();
                }))
                .then()
                .block(Duration.ofMinutes(2));
        return taken;
    }

    private Mono<BackupService.Accepted> fire(Schedule schedule, Instant now) {
        Instant due = Instant.ofEpochMilli(Math.round(schedule.nextFireAt() * 1000));
        Ticks.Decision decision = Ticks.decide(schedule.cron(), schedule.zone(), due, now, settings.maxLateness());
        double next = decision.next().toEpochMilli() / 1000.0;
        if (!decision.fire()) {
            return schedules.claim(schedule.project(), schedule.nextFireAt(), next, null)
                    .filter(Boolean::booleanValue)
                    .doOnNext(claimed -> log.warn("schedule {} of {} skipped {} tick(s) up to {}: more than {} late; next at {}",
                            schedule.name(), schedule.project(), decision.missed(), decision.tick(), settings.maxLateness(),
                            decision.next()))
                    .then(Mono.empty());
        }
        double tick = decision.tick().toEpochMilli() / 1000.0;
        String name = "Scheduled backup " + NAME_TIME.format(decision.tick()) + " UTC";
        return backups.createScheduled(schedule.project(), schedule.createdBy(), name,
                        schedules.claim(schedule.project(), schedule.nextFireAt(), next, tick))
                // every scheduled backup is a trace of its own, as a request would be
                .contextWrite(context -> context.put(TraceContext.class, TraceContext.newRoot()))
                .doOnNext(accepted -> log.info("schedule {} of {} took version {} for the tick {}{}", schedule.name(),
                        schedule.project(), accepted.version(), decision.tick(),
                        decision.missed() > 0 ? " (" + decision.missed() + " earlier missed tick(s) coalesced)" : ""));
    }

    private Mono<Void> expire(Schedule schedule) {
        return schedules.versions(schedule.project()).collectList()
                .map(versions -> RetentionPolicy.expire(versions, schedule.keepLast(), schedule.keepDays(), EpochSeconds.now()))
                .filter(expired -> !expired.isEmpty())
                .flatMap(expired -> backups.deleteVersions(schedule.project(), expired)
                        .doOnNext(deleted -> {
                            if (!deleted.deleted().isEmpty()) {
                                log.info("retention of {} expired versions {} (keep last {}, keep {} days)", schedule.project(),
                                        deleted.deleted(), schedule.keepLast(), schedule.keepDays());
                            }
                        }))
                .then();
    }
}
