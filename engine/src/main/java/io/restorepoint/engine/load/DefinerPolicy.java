package io.restorepoint.engine.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose rights a restored view, trigger, routine or event runs with. {@code SHOW CREATE} prints the
 * {@code DEFINER} clause at a fixed place, right after {@code CREATE} (and a view's {@code ALGORITHM}), so
 * the clause is found there and nowhere else: the object's body is never searched.
 */
public enum DefinerPolicy {

    /**
     * Each object keeps its definer, as mydumper and MySQL Shell do by default; the restoring account needs
     * the right to name other definers (SET USER / SUPER) when they differ from it. A definer that names no
     * account (an empty user: objects made on a server running without grant tables) cannot be kept
     * anywhere and becomes the restoring account.
     */
    KEEP,

    /** Every object gets the restoring account as its definer (the clause is left out). */
    RESTORING_ACCOUNT;

    private static final String NAME = "(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[A-Za-z0-9_$.%-]+)";
    private static final Pattern CLAUSE = Pattern.compile(
            "^(\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:ALGORITHM\\s*=\\s*\\w+\\s+)?)DEFINER\\s*=\\s*(" + NAME + ")(?:@" + NAME + ")?\\s+",
            Pattern.CASE_INSENSITIVE);

    /** The statement to run: {@code statement} with its DEFINER clause kept or left out. */
    public String apply(String statement) {
        Matcher m = CLAUSE.matcher(statement);
        if (!m.find()) {
            return statement;
        }
        boolean empty = m.group(2).equals("``") || m.group(2).equals("''");
        if (this == KEEP && !empty) {
            return statement;
        }
        return m.group(1) + statement.substring(m.end());
    }
}
