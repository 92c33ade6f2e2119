package io.restorepoint.gateway.structure;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's packages depend on each other in one direction only: a cycle (two features that each reach
 * into the other) is a design error this test names, with the files that make it.
 */
class PackageCyclesTest {

    static final Path SOURCES = Path.of("src/main/java/io/restorepoint/gateway");
    static final Pattern REFERENCE = Pattern.compile("io\\.restorepoint\\.gateway\\.(\\w+)\\.[A-Z]");

    @Test
    void theGatewaysPackagesHaveNoCycle() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        Map<String, Set<String>> why = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the application class
                }
                String from = relative.getName(0).toString();
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        uses.computeIfAbsent(from, k -> new TreeSet<>()).add(m.group(1));
                        why.computeIfAbsent(from + " -> " + m.group(1), k -> new TreeSet<>()).add(relative.toString());
                    }
                }
            }
        }
        assertThat(uses).as("packages read").containsKeys("backups", "jobs", "schedules");
        List<Set<String>> cycles = cycles(uses);
        assertThat(cycles).as("package cycles; the references that make them: %s", why).isEmpty();
    }

    @Test
    void aCycleIsFound() {
        assertThat(cycles(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"))))
                .containsExactly(new TreeSet<>(Set.of("a", "b", "c")));
        assertThat(cycles(Map.of("a", Set.of("b"), "b", Set.of("c"), "d", Set.of("a")))).isEmpty();
    }

    /** Strongly connected components of more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> uses) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        for (String node : new TreeSet<>(uses.keySet())) {
            if (!index.containsKey(node)) {
                connect(node, uses, index, low, stack, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> uses, Map<String, Integer> index, Map<String, Integer> low,
            Deque<String> stack, List<Set<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : uses.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, uses, index, low, stack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
