package io.restorepoint.gateway.schedules;

import io.restorepoint.gateway.control.ScheduleStore.RetentionCandidate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention, table-driven. Each row is a project's versions, oldest first, written as
 * {@code <origin letter><status letter>@<age in days>}: origin s(cheduled), m(anual), x (safety); status
 * v(alid), f(ailed), p(ending). Version numbers are positions, from 1.
 */
class RetentionPolicyTest {

    static final double NOW = 2_000_000_000;

    static Stream<Arguments> table() {
        return Stream.of(
                // case, versions (oldest first), keep last, keep days, expired (newest first)
                Arguments.of("nothing old enough", "sv@3 sv@2 sv@1", 1, 7, List.of()),
                Arguments.of("keep last 2 of 5 old ones", "sv@50 sv@40 sv@30 sv@20 sv@10", 2, 7, List.of(3, 2, 1)),
                Arguments.of("young ones kept beyond keep-last", "sv@50 sv@6 sv@5 sv@4", 1, 7, List.of(1)),
                Arguments.of("either rule keeps (union)", "sv@50 sv@40 sv@3", 2, 7, List.of(1)),
                Arguments.of("manual and safety never expire", "mv@90 xv@80 sv@70 sv@60", 1, 7, List.of(3)),
                Arguments.of("newest successful kept even at keep 0/0", "sv@90 sv@80", 0, 0, List.of(1)),
                Arguments.of("newest successful is a manual one: scheduled may all go", "sv@90 sv@80 mv@70", 0, 0, List.of(2, 1)),
                Arguments.of("the newest successful survives a newer failure", "sv@90 sf@1", 0, 0, List.of(2)),
                Arguments.of("failed scheduled do not count toward keep-last", "sv@90 sv@80 sf@70 sf@60", 2, 7, List.of(4, 3)),
                Arguments.of("failed but young kept", "sv@90 sf@2", 0, 7, List.of()),
                Arguments.of("pending never touched", "sp@90 sv@80", 0, 0, List.of()),
                Arguments.of("a version a restore or verify waits on is kept (u: in use)", "svu@90 sv@80 sv@70", 0, 0, List.of(2)),
                Arguments.of("an empty project", "", 3, 3, List.of()),
                Arguments.of("keep-days boundary is exclusive of older", "sv@100 sv@7.01 sv@6.99 mv@1", 0, 7, List.of(2, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void expires(String name, String versions, int keepLast, int keepDays, List<Integer> expired) {
        assertThat(RetentionPolicy.expire(parse(versions), keepLast, keepDays, NOW)).isEqualTo(expired);
    }

    static List<RetentionCandidate> parse(String row) {
        List<RetentionCandidate> out = new ArrayList<>();
        int version = 0;
        for (String cell : row.trim().isEmpty() ? new String[0] : row.trim().split("\\s+")) {
            version++;
            String origin = switch (cell.charAt(0)) {
                case 's' -> "scheduled";
                case 'm' -> "manual";
                case 'x' -> "safety";
                default -> throw new IllegalArgumentException(cell);
            };
            String status = switch (cell.charAt(1)) {
                case 'v' -> "valid";
                case 'f' -> "failed";
                case 'p' -> "pending";
                default -> throw new IllegalArgumentException(cell);
            };
            double age = Double.parseDouble(cell.substring(cell.indexOf('@') + 1));
            boolean inUse = cell.indexOf('u') > 0 && cell.indexOf('u') < cell.indexOf('@');
            out.add(new RetentionCandidate(version, origin, status, NOW - age * 86_400, inUse));
        }
        java.util.Collections.shuffle(out, new java.util.Random(version)); // order of the input does not matter
        return out;
    }
}
