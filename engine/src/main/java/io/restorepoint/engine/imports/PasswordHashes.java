package io.restorepoint.engine.imports;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The password-hash formats an import accepts in a column declared as holding password hashes. A value
 * in such a column that is none of them (a plaintext password, a truncated hash) is refused: the scrap
 * seed promises that passwords remain hashed, and an import must not be the way around that.
 */
final class PasswordHashes {

    private static final String B64 = "[./A-Za-z0-9]";
    private static final String STD64 = "[A-Za-z0-9+/]";
    private static final List<Pattern> FORMATS = List.of(
            // bcrypt, as bcryptjs, PHP and Spring Security write it
            Pattern.compile("\\$2[abxy]?\\$\\d{2}\\$" + B64 + "{53}"),
            // Argon2 (PHC string)
            Pattern.compile("\\$argon2(?:id|i|d)\\$v=\\d+\\$m=\\d+,t=\\d+,p=\\d+\\$" + STD64 + "+\\$" + STD64 + "+"),
            // scrypt (PHC string)
            Pattern.compile("\\$scrypt\\$ln=\\d+,r=\\d+,p=\\d+\\$" + STD64 + "+\\$" + STD64 + "+"),
            // SHA-256 / SHA-512 crypt
            Pattern.compile("\\$[56]\\$(?:rounds=\\d+\\$)?" + B64 + "{1,16}\\$" + B64 + "{43,86}"),
            // yescrypt (current Debian /etc/shadow)
            Pattern.compile("\\$y\\$" + B64 + "+\\$" + B64 + "*\\$" + B64 + "{43}"),
            // PBKDF2 as Django writes it
            Pattern.compile("pbkdf2_sha(?:1|256|512)\\$\\d+\\$[^$\\s]+\\$" + STD64 + "+={0,2}"));

    /** What an error message names as accepted. */
    static final String ACCEPTED = "bcrypt ($2a$, $2b$, $2y$), Argon2, scrypt, SHA-crypt ($5$, $6$), yescrypt or PBKDF2";

    private PasswordHashes() {
    }

    static boolean recognised(String value) {
        for (Pattern format : FORMATS) {
            if (format.matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }
}
