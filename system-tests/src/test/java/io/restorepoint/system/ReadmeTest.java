package io.restorepoint.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README stays true as the code changes: it does not send readers to the issue tracker for what works
 * (a status that says "the open issue" goes stale the day the issue closes), and every environment variable
 * a service reads is in its configuration table.
 */
class ReadmeTest {

    private static final Pattern VARIABLE = Pattern.compile("RP_[A-Z0-9_]+");
    /** {@code `RP_MANAGED_DB_HOST`, `_PORT`}: a suffix after a full name in the same table row. */
    private static final Pattern SUFFIX = Pattern.compile("`(_[A-Z0-9_]+)`");

    static Path root;
    static String readme;

    @BeforeAll
    static void read() throws IOException {
        root = Path.of("").toAbsolutePath().getParent();
        readme = Files.readString(root.resolve("README.md"));
    }

    @Test
    void namesNoOpenIssueAsWhereSomethingStands() {
        for (Pattern stale : new Pattern[] {Pattern.compile("(?i)\\bopen issues?\\b"), Pattern.compile("(?i)\\bissue\\s*#?\\d+"),
                Pattern.compile("(?i)\\b(TODO|TBD|FIXME)\\b")}) {
            Matcher m = stale.matcher(readme);
            assertThat(m.find()).as("README names %s: \"%s\"", stale, m.hitEnd() ? "" : around(m.start())).isFalse();
        }
    }

    @Test
    void documentsEveryVariableTheServicesRead() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : readme.split("\n")) {
            Matcher full = VARIABLE.matcher(line);
            String first = null;
            while (full.find()) {
                documented.add(full.group());
                first = first == null ? full.group() : first;
            }
            if (first != null) {
                String prefix = first.substring(0, first.lastIndexOf('_'));
                Matcher suffix = SUFFIX.matcher(line);
                while (suffix.find()) {
                    documented.add(prefix + suffix.group(1));
                }
            }
        }
        Set<String> read = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root, 5)) {
            // the services' own files and the fragments they import (restorepoint-store.yml, restorepoint-servers.yml)
            for (Path yml : files.filter(p -> p.getParent() != null && p.getParent().endsWith(Path.of("src/main/resources"))
                    && p.getFileName().toString().matches("application\\.yml|restorepoint-.*\\.yml")).toList()) {
                Matcher m = VARIABLE.matcher(Files.readString(yml));
                while (m.find()) {
                    read.add(m.group());
                }
            }
        }
        assertThat(read).as("variables the services read").hasSizeGreaterThan(30);
        assertThat(documented).as("the README's configuration table").containsAll(read);
    }

    private static String around(int at) {
        return readme.substring(Math.max(0, at - 60), Math.min(readme.length(), at + 60)).replace('\n', ' ');
    }
}
