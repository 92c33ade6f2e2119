package io.restorepoint.engine.schema;

import io.r2dbc.spi.Connection;
import io.restorepoint.engine.SchemaObjectException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether the backup account can see every object of a database. The server does not say "there is a
 * trigger you may not see": {@code information_schema} simply leaves out the triggers, events and routines
 * an account has no privilege on, so a backup taken without these privileges would be incomplete without
 * knowing it. This check reads the account's own privileges (global, on the database, and on
 * {@code mysql.proc}) before the objects are read and fails with what is missing.
 *
 * <p>Needed, besides SELECT: SHOW VIEW (view definitions), TRIGGER (triggers), EVENT (events), and to read
 * the body of a routine another account defined: SELECT on {@code mysql.proc} (MariaDB up to 11.2), the
 * {@code SHOW CREATE ROUTINE} privilege (MariaDB 11.3+) or {@code SHOW_ROUTINE} (MySQL 8.0.20+); global
 * SELECT covers the first. Limits: {@code information_schema} shows an account its own grants only, so a
 * privilege held through a role is not seen (the check then refuses, the safe direction: grant it directly);
 * MySQL's partial revokes are not seen either.
 */
public final class ReadPrivileges {

    private ReadPrivileges() {
    }

    /** Completes when nothing is missing; otherwise fails with a {@link SchemaObjectException} naming every gap. */
    public static Mono<Void> check(Connection connection, String database) {
        return held(connection, database)
                .flatMap(held -> {
                    List<String> missing = missing(held);
                    if (missing.isEmpty()) {
                        return Mono.empty();
                    }
                    return Mono.error(new SchemaObjectException("database", database, "the account lacks "
                            + String.join(", ", missing) + ", so the server would leave those objects out of what it shows it "
                            + "(a backup would miss them, a restore could not replace them); grant them (SELECT, SHOW VIEW, "
                            + "TRIGGER, EVENT ON `" + database + "`.* and SELECT ON mysql.proc, or SHOW CREATE ROUTINE on MariaDB "
                            + "11.3+ / SHOW_ROUTINE on MySQL) to the account directly (grants through a role are not seen); a "
                            + "backup may instead leave out the kinds it cannot see (RP_BACKUP_SKIP_UNREADABLE_OBJECTS)"));
                });
    }

    /**
     * Completes when the account may read every table of the database (SELECT on it, or globally); an account
     * with SELECT on some tables only is shown only those, and a table is never left out of a backup.
     */
    public static Mono<Void> checkTables(Connection connection, String database) {
        return held(connection, database)
                .flatMap(held -> held.contains("SELECT") ? Mono.<Void>empty()
                        : Mono.error(new SchemaObjectException("database", database, "the account lacks SELECT on the "
                                + "database, so the server would show it only the tables it may read and the backup would be "
                                + "incomplete; grant SELECT ON `" + database + "`.* to the account")));
    }

    /** The kinds the account cannot see, each with the privilege it lacks; empty when it sees everything. */
    public static Mono<java.util.Map<String, String>> missingKinds(Connection connection, String database) {
        return held(connection, database).map(ReadPrivileges::missingKinds).defaultIfEmpty(java.util.Map.of());
    }

    static java.util.Map<String, String> missingKinds(Set<String> held) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (!held.contains("SHOW VIEW")) {
            out.put(SchemaObject.VIEW, "SHOW VIEW");
        }
        if (!routineBodies(held)) {
            out.put(SchemaObject.FUNCTION, "the right to read routine bodies");
            out.put(SchemaObject.PROCEDURE, "the right to read routine bodies");
        }
        if (!held.contains("TRIGGER")) {
            out.put(SchemaObject.TRIGGER, "TRIGGER");
        }
        if (!held.contains("EVENT")) {
            out.put(SchemaObject.EVENT, "EVENT");
        }
        return out;
    }

    private static boolean routineBodies(Set<String> held) {
        return held.contains("SELECT ON MYSQL.PROC") || held.contains("SHOW CREATE ROUTINE") || held.contains("SHOW_ROUTINE");
    }

    /** The privileges held; empty (no value) on a server without grant tables. */
    private static Mono<Set<String>> held(Connection connection, String database) {
        return grantees(connection).flatMap(grantees -> grantees.isEmpty() ? Mono.<Set<String>>empty()
                : privileges(connection, grantees, database));
    }

    /** What is missing, given the privileges held (upper case, e.g. {@code TRIGGER}, {@code SELECT ON MYSQL.PROC}). */
    static List<String> missing(Set<String> held) {
        List<String> missing = new ArrayList<>();
        if (!held.contains("SELECT")) {
            missing.add("SELECT (tables: an account with SELECT on some tables is shown only those)");
        }
        if (!held.contains("SHOW VIEW")) {
            missing.add("SHOW VIEW (view definitions)");
        }
        if (!held.contains("TRIGGER")) {
            missing.add("TRIGGER (triggers)");
        }
        if (!held.contains("EVENT")) {
            missing.add("EVENT (events)");
        }
        if (!routineBodies(held)) {
            missing.add("the right to read routine bodies (functions and procedures)");
        }
        return missing;
    }

    /**
     * The current account and its active roles, as information_schema spells grantees: {@code 'user'@'host'},
     * {@code 'role'}. None on a server that runs without grant tables (every account may do everything).
     */
    private static Mono<List<String>> grantees(Connection connection) {
        return Flux.from(connection.createStatement("SELECT CURRENT_USER(), CURRENT_ROLE()").execute())
                .concatMap(result -> result.map(row -> {
                    List<String> out = new ArrayList<>();
                    String user = row.get(0, String.class);
                    if (user == null || user.startsWith("@") || user.contains("skip-grants")) {
                        return out;
                    }
                    out.add(grantee(user));
                    String roles = row.get(1, String.class);
                    if (roles != null && !roles.equalsIgnoreCase("NONE")) {
                        for (String role : roles.split(",")) {
                            out.add(grantee(role.trim()));
                        }
                    }
                    return out;
                }))
                .single();
    }

    /** {@code user@host} or {@code `user`@`host`} (MySQL's CURRENT_ROLE) as {@code 'user'@'host'}; a role without host as {@code 'role'}. */
    static String grantee(String account) {
        String a = account.replace("`", "");
        int at = a.lastIndexOf('@');
        return at < 0 ? "'" + a + "'" : "'" + a.substring(0, at) + "'@'" + a.substring(at + 1) + "'";
    }

    private static Mono<Set<String>> privileges(Connection connection, List<String> grantees, String database) {
        return Flux.from(connection.createStatement("SELECT @@lower_case_table_names").execute())
                .concatMap(result -> result.map(row -> row.get(0, Number.class).intValue()))
                .next()
                .defaultIfEmpty(0)
                .flatMap(lowerCase -> privileges(connection, grantees, database, lowerCase != 0));
    }

    private static Mono<Set<String>> privileges(Connection connection, List<String> grantees, String database,
            boolean caseInsensitive) {
        String in = String.join(", ", grantees.stream().map(g -> "'" + g.replace("\\", "\\\\").replace("'", "''") + "'").toList());
        String sql = "SELECT PRIVILEGE_TYPE, NULL, NULL FROM information_schema.USER_PRIVILEGES WHERE GRANTEE IN (" + in + ") "
                + "UNION ALL SELECT PRIVILEGE_TYPE, TABLE_SCHEMA, NULL FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE IN (" + in + ") "
                + "UNION ALL SELECT PRIVILEGE_TYPE, TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE IN ("
                + in + ") AND TABLE_SCHEMA = 'mysql' AND TABLE_NAME = 'proc'";
        return Flux.from(connection.createStatement(sql).execute())
                .concatMap(result -> result.map(row -> new String[] {row.get(0, String.class), row.get(1, String.class),
                        row.get(2, String.class)}))
                .collectList()
                .map(rows -> {
                    Set<String> held = new HashSet<>();
                    for (String[] r : rows) {
                        String privilege = r[0].toUpperCase(Locale.ROOT);
                        if (r[1] == null) { // global
                            held.add(privilege);
                            if (privilege.equals("SELECT")) {
                                held.add("SELECT ON MYSQL.PROC");
                            }
                        } else if (r[2] != null || matches(r[1], "mysql", caseInsensitive)) { // on mysql.proc, or on the whole mysql schema
                            if (privilege.equals("SELECT")) {
                                held.add("SELECT ON MYSQL.PROC");
                            }
                        }
                        if (r[1] != null && r[2] == null && matches(r[1], database, caseInsensitive)) {
                            held.add(privilege);
                        }
                    }
                    return held;
                });
    }

    /**
     * A schema-level grant names a database or a LIKE pattern ({@code app\_%}); the server compares names
     * case-sensitively unless {@code lower_case_table_names} is set.
     */
    static boolean matches(String pattern, String database, boolean caseInsensitive) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = java.util.regex.Pattern.DOTALL | (caseInsensitive ? java.util.regex.Pattern.CASE_INSENSITIVE : 0);
        return java.util.regex.Pattern.compile(regex.toString(), flags).matcher(database).matches();
    }
}
