package io.restorepoint.engine.load;

import java.util.Locale;

/**
 * Names of the schemas a restore or verify works in, next to the project's database:
 * {@code <database>__rp_<kind>_<job>}, at most 64 characters. One job always gets the same names, so a
 * job run again after a crash finds and replaces what the crashed run left.
 */
public final class HelperSchemas {

    public static final String LOAD = "load";
    public static final String OLD = "old";
    public static final String VERIFY = "verify";

    private HelperSchemas() {
    }

    /** What every helper schema's name has after its database's name. */
    static final String MARK = "__rp_";

    public static String of(String database, String kind, String jobToken) {
        String job = jobToken.replace("-", "").toLowerCase(Locale.ROOT);
        String suffix = MARK + kind + "_" + job.substring(0, Math.min(12, job.length()));
        String prefix = database.length() + suffix.length() > 64 ? database.substring(0, 64 - suffix.length()) : database;
        return prefix + suffix;
    }

    /**
     * A SQL {@code LIKE} pattern, as the text of a single-quoted literal (backslash escapes; a backslash in the name
     * is escaped for the literal and for {@code LIKE}), matching the helper schemas of
     * {@code database} whose names were not shortened, e.g. to find what a crashed run left.
     */
    public static String likePattern(String database) {
        return (database + MARK).replace("\\", "\\\\\\\\").replace("_", "\\_").replace("%", "\\%").replace("'", "''") + "%";
    }
}
