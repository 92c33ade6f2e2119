package io.restorepoint.schemas.contract;

import io.restorepoint.schemas.Topic;
import io.restorepoint.schemas.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topic documentation against {@link Topics#all()}: {@code schemas/README.md}'s topic table has one row
 * per topic (with its partitions and whether it is compacted), and the project README names every topic.
 * {@code asyncapi.yaml} is checked by {@link AsyncApiDocumentTest}.
 */
class TopicDocsTest {

    private static final Path SCHEMAS_README = ContractSchemasTest.MODULE.resolve("README.md");
    private static final Path PROJECT_README = ContractSchemasTest.MODULE.resolve("../README.md");
    /** A row of the topic table: | `name` | key | values | partitions | kept | produced by | consumed by | */
    private static final Pattern ROW = Pattern.compile("^\\| `(restorepoint\\.[^`]+)` \\|([^|]*)\\|([^|]*)\\|\\s*(\\d+)\\s*\\|([^|]*)\\|",
            Pattern.MULTILINE);

    @Test
    void theSchemasReadmeHasOneRowPerTopicWithItsPartitionsAndRetention() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(Files.readString(SCHEMAS_README));
        while (m.find()) {
            assertThat(rows.put(m.group(1), new Row(Integer.parseInt(m.group(4)), m.group(5))))
                    .as("a second row for %s", m.group(1)).isNull();
        }
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(Topic::name).toList());
        for (Topic<?, ?> topic : Topics.all()) {
            Row row = rows.get(topic.name());
            assertThat(row.partitions()).as("partitions of %s", topic.name()).isEqualTo(topic.partitions());
            assertThat(row.kept().contains("compacted")).as("%s compacted", topic.name()).isEqualTo(topic.compacted());
            if (topic.retention() != null) {
                assertThat(row.kept()).as("retention of %s", topic.name()).contains(topic.retention().toDays() + " days");
            }
        }
    }

    private record Row(int partitions, String kept) {
    }

    @Test
    void theProjectReadmeNamesEveryTopic() throws IOException {
        String readme = Files.readString(PROJECT_README);
        for (Topic<?, ?> topic : Topics.all()) {
            assertThat(readme).as("README.md mentions %s", topic.name()).contains(topic.name());
        }
    }
}
