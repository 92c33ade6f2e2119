package io.restorepoint.gateway.members;

import io.restorepoint.gateway.control.Member;
import io.restorepoint.gateway.control.Project;
import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.gateway.projects.MembershipPublisher;
import io.restorepoint.gateway.projects.ProjectAccess;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.security.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * Membership changes by a project's owners and by admins. Every change is published on the membership topic,
 * which is how sync-events learns who may see the project's events; the last owner of a project can neither
 * leave nor become a plain member (checked with the owners locked, so two concurrent removals cannot both pass).
 */
@Service
public class MemberService {

    public static final String OWNER = "owner";
    public static final String MEMBER = "member";

    private final ProjectAccess access;
    private final ProjectStore projects;
    private final MembershipPublisher publisher;
    private final TransactionalOperator tx;

    public MemberService(ProjectAccess access, ProjectStore projects, MembershipPublisher publisher, TransactionalOperator tx) {
        this.access = access;
        this.projects = projects;
        this.publisher = publisher;
        this.tx = tx;
    }

    public Mono<List<Member>> list(Project project) {
        return projects.members(project.gid()).collectList();
    }

    public Mono<List<Member>> add(Project project, String user, String role) {
        String gid = project.gid();
        checkUser(user);
        checkRole(role);
        return projects.addMember(gid, user, role)
                .flatMap(added -> added ? publisher.publish(new Member(gid, user, role, "active"))
                        : Mono.error(new ApiException(ApiError.PROCESS, user + " is a member of " + gid + " already",
                                Map.of("parameter", "user"))))
                .then(projects.members(gid).collectList());
    }

    public Mono<List<Member>> update(Project project, String user, String role) {
        String gid = project.gid();
        checkUser(user);
        checkRole(role);
        return existing(gid, user)
                .flatMap(member -> (OWNER.equals(member.role()) && MEMBER.equals(role)
                                ? keepAnOwner(gid, "make the last owner a member") : Mono.<Void>empty())
                        .then(projects.setRole(gid, user, role))
                        .as(tx::transactional)
                        .then(publisher.publish(new Member(gid, user, role, member.status()))))
                .then(projects.members(gid).collectList());
    }

    public Mono<List<Member>> remove(Project project, String user) {
        String gid = project.gid();
        checkUser(user);
        return existing(gid, user)
                .flatMap(member -> (OWNER.equals(member.role()) ? keepAnOwner(gid, "remove the last owner") : Mono.<Void>empty())
                        .then(projects.removeMember(gid, user))
                        .as(tx::transactional)
                        .then(publisher.publish(new Member(gid, user, member.role(), "removed"))))
                .then(projects.members(gid).collectList());
    }

    /**
     * The project, if the caller is an admin or one of its owners (members get 403): asked before the body is
     * read, so a caller without the right learns nothing from a 400.
     */
    public Mono<Project> manageable(Caller caller, String gid) {
        return access.require(caller, gid).flatMap(project -> caller.isAdmin() ? Mono.just(project)
                : projects.member(gid, caller.userId()).filter(m -> m.isActive() && OWNER.equals(m.role()))
                        .map(m -> project)
                        .switchIfEmpty(Mono.error(ApiException.forbidden("Forbidden - only the project's owners manage its members"))));
    }

    private Mono<Member> existing(String gid, String user) {
        return projects.member(gid, user).switchIfEmpty(Mono.error(ApiException.unprocessable(user + " is not a member of " + gid,
                Map.of("parameter", "user"))));
    }

    private Mono<Void> keepAnOwner(String gid, String what) {
        return projects.lockOwners(gid).flatMap(owners -> owners <= 1
                ? Mono.error(new ApiException(ApiError.PROCESS, "Cannot " + what + " of " + gid + "; make another member an owner first"))
                : Mono.<Void>empty());
    }

    private static void checkUser(String user) {
        if (!Member.isValidUser(user)) {
            throw ApiException.unprocessable("user must be a user id (the JWT subject)", Map.of("parameter", "user"));
        }
    }

    private static void checkRole(String role) {
        if (!OWNER.equals(role) && !MEMBER.equals(role)) {
            throw ApiException.unprocessable("role must be owner or member", Map.of("parameter", "role"));
        }
    }
}
