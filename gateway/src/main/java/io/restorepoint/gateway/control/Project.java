package io.restorepoint.gateway.control;

/** A project row. */
public record Project(String gid, String name, String database, String owner, String status, int nextVersion,
        Double lastBackedUp) {

    public boolean isActive() {
        return "active".equals(status);
    }
}
