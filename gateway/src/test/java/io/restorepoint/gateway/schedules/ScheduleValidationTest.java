package io.restorepoint.gateway.schedules;

import io.restorepoint.web.envelope.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a schedule may be: every refusal is a 422 naming the parameter. */
class ScheduleValidationTest {

    static final Duration MIN = Duration.ofMinutes(15);

    @Test
    void sensibleSchedulesPass() {
        assertThatCode(() -> ScheduleService.validate("daily", "0 0 3 * * *", "UTC", MIN)).doesNotThrowAnyException();
        assertThatCode(() -> ScheduleService.validate("hourly", "0 0 * * * MON-FRI", "Europe/Madrid", MIN)).doesNotThrowAnyException();
        assertThatCode(() -> ScheduleService.validate("q", "0 */15 * * * *", "UTC", MIN)).as("exactly the minimum").doesNotThrowAnyException();
    }

    @Test
    void refusals() {
        assertRefused("daily", "0 * * * * *", "UTC", "cron", "more often than every 15m");
        assertRefused("daily", "every day", "UTC", "cron", "six fields");
        assertRefused("daily", "0 0 3 * * *" + " ".repeat(120), "UTC", "cron", "six fields");
        assertRefused("daily", "0 0 0 30 2 *", "UTC", "cron", "never fires");
        assertRefused("daily", "0 0 3 * * *", "Mars/Olympus", "zone", "time zone");
        assertRefused("no spaces", "0 0 3 * * *", "UTC", "name", "letters");
    }

    static void assertRefused(String name, String cron, String zone, String parameter, String message) {
        assertThatThrownBy(() -> ScheduleService.validate(name, cron, zone, MIN))
                .isInstanceOf(ApiException.class).hasMessageContaining(message)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ApiException) e).info())
                        .containsEntry("parameter", parameter));
    }
}
