package io.restorepoint.gateway.schedules;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The missed-tick rule: coalesce into one backup if the latest missed tick is recent enough, else skip. */
class TicksTest {

    static final String DAILY = "0 0 3 * * *";
    static final Instant DUE = Instant.parse("2026-11-20T03:00:00Z");

    @Test
    void onTimeFiresTheTickAndSchedulesTheNext() {
        Ticks.Decision d = Ticks.decide(DAILY, "UTC", DUE, DUE.plusSeconds(4), Duration.ofHours(12));
        assertThat(d).isEqualTo(new Ticks.Decision(true, DUE, Instant.parse("2026-11-21T03:00:00Z"), 0));
    }

    @Test
    void threeDaysDownIsOneBackupForTheLatestTick() {
        Ticks.Decision d = Ticks.decide(DAILY, "UTC", DUE, Instant.parse("2026-11-23T05:00:00Z"), Duration.ofHours(12));
        assertThat(d.fire()).isTrue();
        assertThat(d.tick()).isEqualTo(Instant.parse("2026-11-23T03:00:00Z"));
        assertThat(d.missed()).as("the 20th, 21st and 22nd coalesced").isEqualTo(3);
        assertThat(d.next()).isEqualTo(Instant.parse("2026-11-24T03:00:00Z"));
    }

    @Test
    void aTickOlderThanTheLatenessIsSkipped() {
        Ticks.Decision d = Ticks.decide(DAILY, "UTC", DUE, Instant.parse("2026-11-20T16:00:00Z"), Duration.ofHours(12));
        assertThat(d.fire()).isFalse();
        assertThat(d.missed()).isEqualTo(1);
        assertThat(d.next()).isEqualTo(Instant.parse("2026-11-21T03:00:00Z"));
    }

    @Test
    void zonesAreHonoured() {
        assertThat(Ticks.first(DAILY, "Europe/Madrid", Instant.parse("2026-11-20T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));
    }

    @Test
    void anExpressionThatNeverFiresIsRefused() {
        assertThatThrownBy(() -> Ticks.first("0 0 0 30 2 *", "UTC", DUE)).hasMessageContaining("never fires");
    }
}
