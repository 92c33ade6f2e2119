package io.restorepoint.worker.jobs;

import io.restorepoint.engine.TableException;
import io.restorepoint.engine.artifact.crypto.ArtifactKeyException;
import io.restorepoint.engine.load.ArtifactCorruptException;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.job.JobFailure;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobResult;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.worker.config.WorkerProperties;
import io.restorepoint.worker.events.JobEmitter;
import io.restorepoint.worker.metrics.JobMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One run of a job: its events in order, progress at a fixed pace, a timeout per phase (its deadline is
 * in every event's {@code info.deadline}), and failures turned into a {@code rejected} event whose
 * reason a person understands (naming the table when there is one).
 *
 * <p>Work is awaited with {@link #await}: when the current phase passes its deadline the work is
 * cancelled (the engine then closes its connections, drops what it loaded aside and abandons
 * unfinished artifact files) and the job ends {@code rejected}.
 */
final class JobRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRun.class);

    private final JobCommand command;
    private final JobEmitter emitter;
    private final WorkerProperties properties;
    private final Sinks.Empty<Void> expired = Sinks.empty();
    private volatile Supplier<JobInfo> source;
    private volatile JobInfo last = JobInfo.empty();
    private String phase;
    private long phaseStartedNanos;
    private double deadline;
    private ScheduledExecutorService ticker;
    private final JobMetrics.Run metrics;

    JobRun(JobEmitter emitter, JobCommand command, WorkerProperties properties, JobMetrics.Run metrics) {
        this.metrics = metrics;
        this.command = command;
        this.emitter = emitter;
        this.properties = properties;
        this.source = () -> last;
    }

    /** Reports a state now; the state is repeated (as a heartbeat) until the next one. */
    void processing(JobInfo info) {
        last = info;
        emitter.processing(stamp(info));
        startTicker();
    }

    /** Reports {@code source}'s progress every interval until the job ends. */
    void progressFrom(Supplier<JobInfo> source) {
        this.source = source;
        startTicker();
    }

    /**
     * Waits for {@code work}, cancelling it when the current phase passes its deadline or the job its
     * overall timeout.
     */
    <T> T await(Mono<T> work) {
        startTicker();
        Mono<T> timedOut = expired.asMono().then(Mono.never());
        return Mono.firstWithSignal(work, timedOut).block(properties.jobTimeout());
    }

    void done(JobInfo info, JobResult result) {
        stopTicker();
        emitter.done(info, result);
        metrics.ended(JobStatus.DONE, result);
    }

    void reject(String reason, String table, JobInfo info) {
        stopTicker();
        log.warn("job {} ({}): rejected: {}", command.commandId(), command.jobType().wire(), reason);
        emitter.rejected(info, JobFailure.processError(command.jobType(), reason, table));
        metrics.ended(JobStatus.REJECTED, null);
    }

    void reject(Throwable e, JobInfo info) {
        reject(reason(e), table(e), info);
    }

    /**
     * Ends the run. Throws if the job ended but its outcome did not reach the broker: the command is then
     * not acknowledged, and its next delivery publishes the recorded outcome.
     */
    @Override
    public void close() {
        stopTicker();
        metrics.abandoned();
        if (emitter.terminalUnpublished()) {
            throw new IllegalStateException("job " + command.commandId() + " ended but its outcome could not be published;"
                    + " the command will be delivered again");
        }
    }

    /**
     * Progress runs on a thread of the run's own, stopped with {@code shutdown()}, never interrupted: an
     * interrupt landing in a progress publication (as a Reactor scheduler's dispose does) could leave the
     * emitter busy while the job thread waits to publish the job's outcome.
     */
    private synchronized void startTicker() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "job-progress-" + command.commandId());
                thread.setDaemon(true);
                return thread;
            });
            long period = properties.progressInterval().toMillis();
            ticker.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        try {
            JobInfo info = stamp(source.get());
            Duration timeout = properties.phaseTimeout(info.phase());
            if (System.nanoTime() - phaseStartedNanos > timeout.toNanos()) {
                // the job thread now cancels the work and publishes the outcome; no progress after that
                expired.tryEmitError(new PhaseTimeoutException(info.phase(), timeout));
                return;
            }
            emitter.processing(info);
        } catch (RuntimeException e) {
            // the broker is away: progress is skipped, the deadline still holds
            log.warn("job {}: progress not published: {}", command.commandId(), e.toString());
        }
    }

    /** The info with the deadline of its phase; a new phase starts its clock. */
    private synchronized JobInfo stamp(JobInfo info) {
        String current = info.phase() == null ? "" : info.phase();
        if (!current.equals(phase)) {
            phase = current;
            phaseStartedNanos = System.nanoTime();
            double seconds = properties.phaseTimeout(info.phase()).toMillis() / 1000.0;
            deadline = Math.round((EpochSeconds.now() + seconds) * 1000) / 1000.0;
        }
        return info.withDeadline(deadline);
    }

    private synchronized void stopTicker() {
        if (ticker != null) {
            ticker.shutdown();
            ticker = null;
        }
    }

    static String table(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TableException te) {
                return te.table();
            }
            if (t instanceof ArtifactCorruptException ace) {
                return "*".equals(ace.table()) ? null : ace.table();
            }
        }
        return null;
    }

    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TableException || t instanceof ArtifactCorruptException || t instanceof PhaseTimeoutException
                    || t instanceof ArtifactKeyException || t instanceof io.restorepoint.engine.SchemaObjectException) {
                return t.getMessage();
            }
        }
        if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).startsWith("Timeout on blocking read")) {
            return "the job did not finish within the job timeout";
        }
        return TableException.rootMessage(e);
    }

    /** The current phase ran past its timeout. */
    static final class PhaseTimeoutException extends RuntimeException {

        PhaseTimeoutException(String phase, Duration timeout) {
            super("the " + (phase == null ? "job" : phase) + " phase did not finish within its timeout of "
                    + timeout.toString().substring(2).toLowerCase() + ", so the job was stopped", null, false, false);
        }
    }
}
