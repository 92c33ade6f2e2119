package io.restorepoint.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.restorepoint.schemas.job.JobResult;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's job metrics, on {@code /actuator/metrics} and {@code /actuator/prometheus}:
 * <ul>
 *   <li>{@code restorepoint.jobs.running} (gauge): jobs this worker runs now;</li>
 *   <li>{@code restorepoint.jobs.ended} (counter; tags {@code type}, {@code status} = done | rejected);</li>
 *   <li>{@code restorepoint.job.duration} (timer; same tags): from the start of the run to its outcome;</li>
 *   <li>{@code restorepoint.job.rows}, {@code restorepoint.job.bytes} (counters; tag {@code type}): what done
 *       jobs dumped, loaded or imported. Rows or bytes per second are their rates.</li>
 * </ul>
 */
@Component
public class JobMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("restorepoint.jobs.running", running);
    }

    /** A run has started; call {@link Run#ended} or {@link Run#abandoned} exactly once. */
    public Run started(JobType type) {
        running.incrementAndGet();
        return new Run(type, System.nanoTime());
    }

    /** One job run, measured. */
    public final class Run {

        private final JobType type;
        private final long startedNanos;
        private boolean over;

        private Run(JobType type, long startedNanos) {
            this.type = type;
            this.startedNanos = startedNanos;
        }

        /** The job ended with {@code status}; {@code result} for a done job. */
        public synchronized void ended(JobStatus status, JobResult result) {
            if (over) {
                return;
            }
            over = true;
            running.decrementAndGet();
            String typeTag = type.wire();
            String statusTag = status.name().toLowerCase();
            Counter.builder("restorepoint.jobs.ended").description("Jobs that ended, by type and outcome")
                    .tag("type", typeTag).tag("status", statusTag).register(registry).increment();
            Timer.builder("restorepoint.job.duration").description("Time from a job's start on this worker to its outcome")
                    .tag("type", typeTag).tag("status", statusTag).register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - startedNanos));
            if (result != null) {
                Counter.builder("restorepoint.job.rows").description("Rows done jobs dumped, loaded or imported")
                        .baseUnit("rows").tag("type", typeTag).register(registry).increment(result.rows());
                Counter.builder("restorepoint.job.bytes").description("Artifact bytes done jobs wrote or read")
                        .baseUnit("bytes").tag("type", typeTag).register(registry).increment(result.bytes());
            }
        }

        /** The run stopped without an outcome of its own (its command will be delivered again). */
        public synchronized void abandoned() {
            if (!over) {
                over = true;
                running.decrementAndGet();
            }
        }
    }
}
