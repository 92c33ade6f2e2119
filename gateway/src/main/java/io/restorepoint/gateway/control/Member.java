package io.restorepoint.gateway.control;

/** A project membership: role {@code owner} or {@code member}, status {@code active} or {@code invited}. */
public record Member(String project, String user, String role, String status) {

    public boolean isActive() {
        return "active".equals(status);
    }
}
