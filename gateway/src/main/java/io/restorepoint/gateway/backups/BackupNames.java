package io.restorepoint.gateway.backups;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default-name rule of the Unicat reference: a backup without a name is called
 * {@code Backup <version>}, and a caller may not give a name of that form (case and spacing ignored)
 * unless {@code <version>} is the backup's own version (only possible on update).
 */
public final class BackupNames {

    private static final Pattern DEFAULT = Pattern.compile("^\\s*backup\\s+(\\d+)\\s*$", Pattern.CASE_INSENSITIVE);

    private BackupNames() {
    }

    public static String defaultName(int version) {
        return "Backup " + version;
    }

    /** Whether {@code name} may be given to backup {@code version} (null version: not known yet, on create). */
    public static boolean allowed(String name, Integer version) {
        Matcher m = DEFAULT.matcher(name);
        if (!m.matches()) {
            return true;
        }
        return version != null && m.group(1).replaceFirst("^0+(?=.)", "").equals(Integer.toString(version));
    }
}
