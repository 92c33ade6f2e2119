package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.EnumSet;
import java.util.Set;

/**
 * The closed set of job states, as in the Unicat Sync API.
 *
 * <pre>
 *   queued ──► processing ──► done
 *     │            │  ▲ (progress)
 *     └──► rejected ◄┘
 * </pre>
 *
 * <ul>
 *   <li>{@code queued}: accepted by the gateway, waiting for a worker.</li>
 *   <li>{@code processing}: a worker runs it; {@code info.total/remaining} tell how far it is.</li>
 *   <li>{@code done}: finished; the project data it touched is valid now. Terminal.</li>
 *   <li>{@code rejected}: refused or failed; {@code failure} says why. Terminal.</li>
 * </ul>
 */
public enum JobStatus {
    QUEUED("queued"),
    PROCESSING("processing"),
    DONE("done"),
    REJECTED("rejected");

    private final String wire;

    JobStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static JobStatus fromWire(String value) {
        for (JobStatus status : values()) {
            if (status.wire.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown job status: " + value);
    }

    public boolean isTerminal() {
        return this == DONE || this == REJECTED;
    }

    /** The transitions allowed from this state; the only place they are written down. */
    public Set<JobStatus> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(PROCESSING, REJECTED);
            case PROCESSING -> EnumSet.of(PROCESSING, DONE, REJECTED);
            case DONE, REJECTED -> EnumSet.noneOf(JobStatus.class);
        };
    }

    public boolean canMoveTo(JobStatus target) {
        return next().contains(target);
    }
}
