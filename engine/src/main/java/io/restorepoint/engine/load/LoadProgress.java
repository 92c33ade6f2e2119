package io.restorepoint.engine.load;

import io.restorepoint.engine.artifact.Manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Live progress of a load: rows loaded per table against the manifest's counts. */
public final class LoadProgress {

    private final Map<String, long[]> totals = new LinkedHashMap<>();
    private final Map<String, LongAdder> done = new LinkedHashMap<>();
    private volatile String phase = "verify";

    synchronized void plan(Manifest manifest) {
        for (Manifest.Table table : manifest.tables()) {
            totals.put(table.name(), new long[] {table.rows()});
            done.put(table.name(), new LongAdder());
        }
    }

    LongAdder counter(String table) {
        return done.get(table);
    }

    public void phase(String phase) {
        this.phase = phase;
    }

    public String phase() {
        return phase;
    }

    public synchronized Snapshot snapshot() {
        List<TableSnapshot> tables = new ArrayList<>();
        long total = 0;
        long sum = 0;
        for (Map.Entry<String, long[]> e : totals.entrySet()) {
            long d = Math.min(e.getValue()[0], done.get(e.getKey()).sum());
            tables.add(new TableSnapshot(e.getKey(), e.getValue()[0], d));
            total += e.getValue()[0];
            sum += d;
        }
        return new Snapshot(phase, total, sum, tables);
    }

    public record Snapshot(String phase, long total, long done, List<TableSnapshot> tables) {
        public long remaining() {
            return Math.max(0, total - done);
        }
    }

    public record TableSnapshot(String table, long total, long done) {
    }
}
