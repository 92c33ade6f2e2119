package io.restorepoint.engine.dump;

import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.schema.TableInfo;
import io.restorepoint.engine.sql.Identifiers;

import java.math.BigInteger;
import java.util.Set;

/**
 * Hands out the key ranges of one table, in key order, to whichever connection asks next. Tables whose
 * primary key starts with an integer column are cut into ranges of that column ({@code col >= lo AND
 * col < hi}); sparse, negative and composite keys are all fine, since ranges cover the whole key space
 * between MIN and MAX and never overlap. The width adapts like mydumper's: a range that came back with
 * fewer than half the target rows doubles the next width, one with more than twice halves it. Other
 * tables are one task.
 */
final class ChunkPlan {

    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");

    private final TableInfo table;
    private final String keyColumn;
    private final long targetRows;
    private BigInteger next;
    private BigInteger max;
    private BigInteger width;
    private boolean wholeTaken;
    private int issued;

    private ChunkPlan(TableInfo table, String keyColumn, long targetRows) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.targetRows = targetRows;
    }

    /** The column to range over, or null when the table is dumped as one task. */
    static String rangeColumn(TableInfo table) {
        if (table.primaryKey().isEmpty()) {
            return null;
        }
        String first = table.primaryKey().get(0);
        return table.columns().stream()
                .filter(c -> c.name().equals(first) && INTEGER_TYPES.contains(c.dataType()))
                .map(ColumnInfo::name)
                .findFirst().orElse(null);
    }

    static ChunkPlan whole(TableInfo table) {
        return new ChunkPlan(table, null, Long.MAX_VALUE);
    }

    /** Ranges over [min, max]; {@code min == null} means the table is empty. */
    static ChunkPlan ranges(TableInfo table, String keyColumn, BigInteger min, BigInteger max, long targetRows) {
        ChunkPlan plan = new ChunkPlan(table, keyColumn, targetRows);
        if (min == null) {
            plan.wholeTaken = true;
            return plan;
        }
        plan.next = min;
        plan.max = max;
        BigInteger span = max.subtract(min).add(BigInteger.ONE);
        long estimate = Math.max(1, table.estimatedRows());
        BigInteger width = span.multiply(BigInteger.valueOf(targetRows)).divide(BigInteger.valueOf(estimate));
        plan.width = width.signum() > 0 ? width : BigInteger.ONE;
        return plan;
    }

    TableInfo table() {
        return table;
    }

    /** The next task, or null when every row of the table has been handed out. */
    synchronized Task next() {
        if (keyColumn == null) {
            if (wholeTaken) {
                return null;
            }
            wholeTaken = true;
            return new Task(this, issued++, null, null, null);
        }
        if (next == null || next.compareTo(max) > 0) {
            return null;
        }
        BigInteger lo = next;
        BigInteger hi = lo.add(width);
        next = hi;
        boolean last = hi.compareTo(max) > 0;
        String condition = Identifiers.quote(keyColumn) + " >= " + lo + (last ? "" : " AND " + Identifiers.quote(keyColumn) + " < " + hi);
        return new Task(this, issued++, lo, last ? null : hi, condition);
    }

    /** Adapts the width of the next ranges to the rows the last one held. */
    synchronized void completed(Task task, long rows) {
        if (keyColumn == null || task.lo() == null) {
            return;
        }
        if (rows < targetRows / 2) {
            width = width.shiftLeft(1);
        } else if (rows > targetRows * 2 && width.compareTo(BigInteger.ONE) > 0) {
            width = width.shiftRight(1);
        }
    }

    synchronized boolean exhausted() {
        return keyColumn == null ? wholeTaken : next == null || next.compareTo(max) > 0;
    }

    /**
     * One unit of work.
     *
     * @param index     order of the task within its table (= key order)
     * @param condition the WHERE condition, or null for the whole table
     */
    record Task(ChunkPlan plan, int index, BigInteger lo, BigInteger hi, String condition) {
    }
}
