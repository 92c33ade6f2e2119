package io.restorepoint.gateway.control;

/** A project membership: role {@code owner} or {@code member}, status {@code active} or {@code invited}. */
public record Member(String project, String user, String role, String status) {

    private static final java.util.regex.Pattern USER = java.util.regex.Pattern.compile("[^\\s]{1,191}");

    /** What a user id (the JWT subject) may be as a member: no blanks, {@code project_members.user_gid} VARCHAR(191). */
    public static boolean isValidUser(String user) {
        return user != null && USER.matcher(user).matches();
    }

    public boolean isActive() {
        return "active".equals(status);
    }
}
