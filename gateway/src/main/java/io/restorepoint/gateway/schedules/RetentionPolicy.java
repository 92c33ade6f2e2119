package io.restorepoint.gateway.schedules;

import io.restorepoint.gateway.control.BackupVersion;
import io.restorepoint.gateway.control.ScheduleStore.RetentionCandidate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which versions a project's retention expires. Only <em>scheduled</em> backups ever expire; manual and
 * safety backups are kept until someone deletes them. A scheduled backup is kept when it is
 * <ul>
 *   <li>among the newest {@code keepLast} successful scheduled backups, or</li>
 *   <li>younger than {@code keepDays} days, or</li>
 *   <li>the newest successful backup of the project, whatever its origin (never removed), or</li>
 *   <li>still being written ({@code pending}), or</li>
 *   <li>needed by an unfinished job (a restore or verify of it is queued or running).</li>
 * </ul>
 * A failed scheduled backup (no artifact) counts toward nothing and expires once older than {@code keepDays}.
 */
public final class RetentionPolicy {


    private RetentionPolicy() {
    }

    /**
     * @param versions every non-deleted version, any order
     * @param now      epoch seconds
     * @return the versions to expire, newest first
     */
    public static List<Integer> expire(List<RetentionCandidate> versions, int keepLast, int keepDays, double now) {
        List<RetentionCandidate> newestFirst = new ArrayList<>(versions);
        newestFirst.sort((a, b) -> Integer.compare(b.version(), a.version()));
        Set<Integer> keep = new HashSet<>();
        newestFirst.stream().filter(v -> "valid".equals(v.status())).findFirst().ifPresent(v -> keep.add(v.version()));
        newestFirst.stream().filter(v -> BackupVersion.SCHEDULED.equals(v.origin()) && "valid".equals(v.status()))
                .limit(Math.max(0, keepLast)).forEach(v -> keep.add(v.version()));
        double cutoff = now - keepDays * 86_400.0;
        List<Integer> expire = new ArrayList<>();
        for (RetentionCandidate v : newestFirst) {
            boolean candidate = BackupVersion.SCHEDULED.equals(v.origin()) && ("valid".equals(v.status()) || "failed".equals(v.status()));
            if (candidate && !v.inUse() && !keep.contains(v.version()) && v.createdOn() < cutoff) {
                expire.add(v.version());
            }
        }
        return expire;
    }
}
