package io.restorepoint.gateway.control;

/**
 * A project row.
 *
 * @param server the database server its database is on (a name of {@code restorepoint.servers})
 */
public record Project(String gid, String name, String database, String server, String owner, String status, int nextVersion,
        Double lastBackedUp) {

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** What a project id may be (it is a path segment and {@code projects.gid} VARCHAR(64)). */
    public static boolean isValidId(String gid) {
        return gid != null && ID.matcher(gid).matches();
    }

    public boolean isActive() {
        return "active".equals(status);
    }
}
