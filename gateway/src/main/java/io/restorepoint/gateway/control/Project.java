package io.restorepoint.gateway.control;

/**
 * A project row.
 *
 * @param server the database server its database is on (a name of {@code restorepoint.servers})
 */
public record Project(String gid, String name, String database, String server, String owner, String status, int nextVersion,
        Double lastBackedUp) {

    public boolean isActive() {
        return "active".equals(status);
    }
}
