package io.restorepoint.gateway.schedules;

import io.restorepoint.gateway.control.Schedule;
import io.restorepoint.gateway.projects.ProjectAccess;
import io.restorepoint.gateway.requests.Arguments;
import io.restorepoint.web.envelope.Envelope;
import io.restorepoint.web.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/p/<project>/backups/schedule}: a project's backup schedule and retention. Not in the Unicat
 * reference; shaped like its calls (POST with a JSON object, the envelope in reply).
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Project backups")
@RestController
@RequestMapping(path = "/api/p/{project}/backups/schedule", produces = MediaType.APPLICATION_JSON_VALUE)
public class ScheduleController {

    private final ScheduleService schedules;
    private final ProjectAccess access;

    public ScheduleController(ScheduleService schedules, ProjectAccess access) {
        this.schedules = schedules;
        this.access = access;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "The project's backup schedule",
            description = "result.schedule is null when the project has none.")
    @GetMapping
    public Mono<Envelope> get(@PathVariable String project) {
        return Caller.current().flatMap(caller -> access.require(caller, project))
                .then(schedules.find(project).map(ScheduleController::view).map(java.util.Optional::of)
                        .defaultIfEmpty(java.util.Optional.empty()))
                .map(schedule -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("schedule", schedule.orElse(null));
                    return Envelope.ok(result);
                });
    }

    /**
     * Sets the schedule: {@code {cron?, zone?, name?, enabled?, keep_last?, keep_days?}}; omitted fields keep
     * their value (defaults for a new schedule: daily at 03:00 UTC, keep last 7, keep 30 days).
     */
    @io.swagger.v3.oas.annotations.Operation(summary = "Set the project's backup schedule and retention",
            description = "cron is a Spring cron expression with seconds ('0 0 3 * * *' = daily at 03:00). Scheduled backups "
                    + "are created_by 'schedule:<name>'. Retention keeps the newest keep_last scheduled backups and those younger "
                    + "than keep_days days; manual and safety backups and the newest successful backup are never expired. "
                    + "422 for a bad expression, zone, name or number.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> set(@PathVariable String project, @RequestBody(required = false) JsonNode body) {
        return Caller.current().flatMap(caller -> access.require(caller, project))
                .then(Mono.fromCallable(() -> {
                    Arguments args = new Arguments(body);
                    return new ScheduleService.Change(args.optionalText("name"), args.optionalText("cron"),
                            args.optionalText("zone"), args.optionalBoolean("enabled"),
                            args.optionalInt("keep_last", 0, 10_000), args.optionalInt("keep_days", 0, 36_500));
                }))
                .flatMap(change -> schedules.set(project, change))
                .map(schedule -> Envelope.ok(Map.of("schedule", view(schedule))));
    }

    static Map<String, Object> view(Schedule s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", s.name());
        view.put("cron", s.cron());
        view.put("zone", s.zone());
        view.put("enabled", s.enabled());
        view.put("keep_last", s.keepLast());
        view.put("keep_days", s.keepDays());
        view.put("created_by", s.createdBy());
        view.put("next_run", s.nextFireAt());
        view.put("last_run", s.lastFiredAt());
        return view;
    }
}
