package io.restorepoint.gateway.members;

import io.restorepoint.gateway.control.Member;
import io.restorepoint.gateway.requests.Arguments;
import io.restorepoint.web.envelope.Envelope;
import io.restorepoint.web.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's members, managed by its owners and by admins: {@code GET /api/p/<project>/members},
 * {@code POST …/members/add {user, role?}}, {@code …/members/update {user, role}}, {@code …/members/remove {user}}.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Members", description = "Who may use a project")
@RestController
public class MemberController {

    private final MemberService members;

    public MemberController(MemberService members) {
        this.members = members;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Members (owners, admins)", description = "Every member of the project with its role (owner or member).")
    @GetMapping(path = "/api/p/{project}/members", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> list(@PathVariable String project) {
        return Caller.current().flatMap(caller -> members.manageable(caller, project)).flatMap(members::list)
                .map(MemberController::answer);
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Add a member (owners, admins)", description = "Body {user, role? (member by default, or owner)}. 1003 if the user is a member already.")
    @PostMapping(path = "/api/p/{project}/members/add", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> add(@PathVariable String project, @RequestBody(required = false) JsonNode body) {
        return Caller.current().flatMap(caller -> members.manageable(caller, project)).flatMap(p -> Mono.defer(() -> {
            Arguments args = new Arguments(body);
            String role = args.optionalText("role");
            return members.add(p, args.requiredText("user"), role == null ? MemberService.MEMBER : role);
        })).map(MemberController::answer);
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Change a member's role (owners, admins)", description = "Body {user, role (owner or member)}. The last owner cannot become a member.")
    @PostMapping(path = "/api/p/{project}/members/update", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> update(@PathVariable String project, @RequestBody(required = false) JsonNode body) {
        return Caller.current().flatMap(caller -> members.manageable(caller, project)).flatMap(p -> Mono.defer(() -> {
            Arguments args = new Arguments(body);
            return members.update(p, args.requiredText("user"), args.requiredText("role"));
        })).map(MemberController::answer);
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Remove a member (owners, admins)", description = "Body {user}. The last owner cannot be removed. The user loses access at once, the live feed too.")
    @PostMapping(path = "/api/p/{project}/members/remove", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> remove(@PathVariable String project, @RequestBody(required = false) JsonNode body) {
        return Caller.current().flatMap(caller -> members.manageable(caller, project))
                .flatMap(p -> Mono.defer(() -> members.remove(p, new Arguments(body).requiredText("user"))))
                .map(MemberController::answer);
    }

    private static Envelope answer(List<Member> all) {
        return Envelope.ok(Map.of("members", all.stream().map(m -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("user", m.user());
            view.put("role", m.role());
            view.put("status", m.status());
            return view;
        }).toList()));
    }
}
