package io.restorepoint.worker.jobs;

import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.worker.config.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Schedulers;

/**
 * Once the worker is up, runs the dump's row path on generated rows so the first real backup does not
 * run on cold, interpreted code (measured: a 2-million-row dump took 5.8 s cold, 4.3 s after a
 * 300,000-row warm-up, 3.5 s fully warm). In the background; a failure is only logged.
 */
@Component
public class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private final Dumper dumper;
    private final WorkerProperties properties;

    public WarmUp(Dumper dumper, WorkerProperties properties) {
        this.dumper = dumper;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warmUp() {
        long rows = properties.warmUpRows();
        if (rows <= 0) {
            return;
        }
        long started = System.nanoTime();
        dumper.warmUp(rows)
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(n -> log.info("warm-up: {} generated rows through the dump path in {} ms", n,
                                (System.nanoTime() - started) / 1_000_000),
                        e -> log.warn("warm-up skipped: {}", e.toString()));
    }
}
