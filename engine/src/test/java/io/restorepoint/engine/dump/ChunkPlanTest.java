package io.restorepoint.engine.dump;

import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.schema.TableInfo;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkPlanTest {

    private static TableInfo table(String keyType, long estimatedRows, String... key) {
        return new TableInfo("t", List.of(new ColumnInfo("id", keyType, keyType, false, false),
                new ColumnInfo("name", "varchar", "varchar(10)", true, false)), List.of(key), estimatedRows, 0);
    }

    @Test
    void rangesCoverTheKeySpaceWithoutGapsOrOverlapsIncludingNegativeKeys() {
        ChunkPlan plan = ChunkPlan.ranges(table("int", 1000, "id"), "id", BigInteger.valueOf(-500), BigInteger.valueOf(499), 100);
        List<ChunkPlan.Task> tasks = drain(plan, 100);
        assertThat(tasks.get(0).lo()).isEqualTo(BigInteger.valueOf(-500));
        for (int i = 1; i < tasks.size(); i++) {
            assertThat(tasks.get(i).lo()).isEqualTo(tasks.get(i - 1).hi());
        }
        ChunkPlan.Task last = tasks.get(tasks.size() - 1);
        assertThat(last.hi()).as("the last range is open-ended").isNull();
        assertThat(last.condition()).isEqualTo("`id` >= " + last.lo());
        assertThat(tasks.get(0).condition()).isEqualTo("`id` >= -500 AND `id` < " + tasks.get(0).hi());
        assertThat(tasks).extracting(ChunkPlan.Task::index).containsExactly(
                java.util.stream.IntStream.range(0, tasks.size()).boxed().toArray(Integer[]::new));
        assertThat(plan.exhausted()).isTrue();
    }

    @Test
    void widthAdaptsToSparseKeys() {
        // 1000 rows spread over 10^12 keys: the first range is sized from the estimate; sparse results double it
        ChunkPlan plan = ChunkPlan.ranges(table("bigint", 1000, "id"), "id", BigInteger.ONE, BigInteger.TEN.pow(12), 100);
        ChunkPlan.Task first = plan.next();
        BigInteger firstWidth = first.hi().subtract(first.lo());
        plan.completed(first, 3);
        ChunkPlan.Task second = plan.next();
        assertThat(second.hi().subtract(second.lo())).isEqualTo(firstWidth.shiftLeft(1));
        plan.completed(second, 1000);
        ChunkPlan.Task third = plan.next();
        assertThat(third.hi().subtract(third.lo())).isEqualTo(firstWidth);
    }

    @Test
    void onlyIntegerLeadingKeysAreRanged() {
        assertThat(ChunkPlan.rangeColumn(table("int", 1, "id"))).isEqualTo("id");
        assertThat(ChunkPlan.rangeColumn(table("bigint", 1, "id", "name"))).as("composite: first column").isEqualTo("id");
        assertThat(ChunkPlan.rangeColumn(table("varchar", 1, "id"))).isNull();
        assertThat(ChunkPlan.rangeColumn(table("int", 1))).as("no key").isNull();
    }

    @Test
    void emptyTablesAndWholeTablesGiveAtMostOneTask() {
        ChunkPlan empty = ChunkPlan.ranges(table("int", 0, "id"), "id", null, null, 100);
        assertThat(empty.next()).isNull();
        ChunkPlan whole = ChunkPlan.whole(table("varchar", 10, "id"));
        assertThat(whole.next().condition()).isNull();
        assertThat(whole.next()).isNull();
    }

    @Test
    void unsignedBigintExtremesAreHandled() {
        BigInteger max = new BigInteger("18446744073709551615");
        ChunkPlan plan = ChunkPlan.ranges(table("bigint", 2, "id"), "id", BigInteger.ZERO, max, 1);
        List<ChunkPlan.Task> tasks = drain(plan, 200);
        assertThat(tasks.get(tasks.size() - 1).condition()).startsWith("`id` >= ");
        assertThat(plan.exhausted()).isTrue();
    }

    private static List<ChunkPlan.Task> drain(ChunkPlan plan, long rowsEach) {
        List<ChunkPlan.Task> tasks = new ArrayList<>();
        for (ChunkPlan.Task task = plan.next(); task != null; task = plan.next()) {
            tasks.add(task);
            plan.completed(task, rowsEach);
            if (tasks.size() > 10_000) {
                throw new AssertionError("no end to the ranges");
            }
        }
        return tasks;
    }
}
