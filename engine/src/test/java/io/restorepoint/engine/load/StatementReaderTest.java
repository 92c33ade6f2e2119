package io.restorepoint.engine.load;

import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatementReaderTest {

    private static byte[] compress(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out, 1)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static List<String> read(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (StatementReader reader = StatementReader.compressed(new ByteArrayInputStream(compress(text)))) {
            for (String s = reader.next(); s != null; s = reader.next()) {
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void splitsAtLinesEndingInASemicolonOnly() throws IOException {
        String a = "INSERT INTO `t` (`a`) VALUES\n('x;'),\n('y;\\n');";
        String b = "INSERT INTO `t` (`a`) VALUES\n('ñ 🐧');";
        assertThat(read(a + "\n" + b + "\n")).containsExactly(a.substring(0, a.length() - 1), b.substring(0, b.length() - 1));
    }

    @Test
    void statementsLongerThanTheReadBufferSurvive() throws IOException {
        String big = "INSERT INTO `t` (`a`) VALUES\n('" + "z".repeat(200_000) + "'),\n('" + "q".repeat(70_000) + "');";
        List<String> statements = read(big + "\n" + big + "\n");
        assertThat(statements).hasSize(2);
        assertThat(statements.get(1)).hasSize(big.length() - 1);
    }

    @Test
    void aTruncatedChunkIsAnError() throws IOException {
        assertThatThrownBy(() -> read("INSERT INTO `t` (`a`) VALUES\n('x'),\n('y'"))
                .isInstanceOf(IOException.class).hasMessageContaining("middle of a statement");
        assertThat(read("")).isEmpty();
    }
}
