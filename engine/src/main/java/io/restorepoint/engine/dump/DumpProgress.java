package io.restorepoint.engine.dump;

import io.restorepoint.engine.schema.TableInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live progress of a dump, read by whoever reports it (at its own pace): rows done per table against
 * the catalog's estimate, corrected to the exact count when a table is finished.
 */
public final class DumpProgress {

    private final Map<String, Table> tables = new LinkedHashMap<>();
    private volatile String phase = "snapshot";

    synchronized void plan(List<TableInfo> infos) {
        for (TableInfo info : infos) {
            tables.put(info.name(), new Table(Math.max(0, info.estimatedRows())));
        }
    }

    LongAdder counter(String table) {
        return tables.get(table).done;
    }

    synchronized void finished(String table, long rows) {
        Table t = tables.get(table);
        t.total = rows;
        t.finished = true;
    }

    void phase(String phase) {
        this.phase = phase;
    }

    public String phase() {
        return phase;
    }

    /** A consistent-enough copy: totals never below what is done. */
    public synchronized Snapshot snapshot() {
        List<TableSnapshot> out = new ArrayList<>(tables.size());
        long total = 0;
        long done = 0;
        for (Map.Entry<String, Table> e : tables.entrySet()) {
            Table t = e.getValue();
            long d = t.finished ? t.total : t.done.sum();
            long tot = t.finished ? t.total : Math.max(t.total, d);
            out.add(new TableSnapshot(e.getKey(), tot, d));
            total += tot;
            done += d;
        }
        return new Snapshot(phase, total, done, out);
    }

    public record Snapshot(String phase, long total, long done, List<TableSnapshot> tables) {
        public long remaining() {
            return Math.max(0, total - done);
        }
    }

    public record TableSnapshot(String table, long total, long done) {
    }

    private static final class Table {
        private final LongAdder done = new LongAdder();
        private long total;
        private boolean finished;

        Table(long estimate) {
            this.total = estimate;
        }
    }
}
