package io.restorepoint.engine.imports;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8CheckTest {

    private static long firstBad(byte[] bytes, int chunk) throws IOException {
        Utf8Check check = new Utf8Check(new ByteArrayInputStream(bytes));
        byte[] buffer = new byte[chunk];
        while (check.read(buffer, 0, buffer.length) >= 0) {
            // reads in chunks, so sequences are cut at every possible place
        }
        return check.firstBad();
    }

    @Test
    void wellFormedTextPassesUnchanged() throws IOException {
        byte[] text = "plain, é, ✓, 😀, \u0000, \uFFFF, \uD83D\uDE00 end".getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk <= 7; chunk++) {
            assertThat(firstBad(text, chunk)).isEqualTo(-1);
        }
        try (InputStream in = new Utf8Check(new ByteArrayInputStream(text))) {
            assertThat(in.readAllBytes()).isEqualTo(text);
        }
    }

    @Test
    void eachKindOfIllFormedSequenceIsFoundWhereItStarts() throws IOException {
        int[][] bad = {
                {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xF0, 0x80, 0x80, 0xAF}, // overlong
                {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, // encoded surrogates
                {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80}, {0xFF}, // above U+10FFFF, not UTF-8
                {0x80}, {0xBF}, {0xE2, 0x82}, {0xE2, 0x28, 0xA1}, {0xF0, 0x9F, 0x98}, // stray, missing, broken continuation
        };
        for (int[] sequence : bad) {
            byte[] doc = new byte[3 + sequence.length + 2];
            doc[0] = 'a';
            doc[1] = 'b';
            doc[2] = 'c';
            for (int i = 0; i < sequence.length; i++) {
                doc[3 + i] = (byte) sequence[i];
            }
            doc[doc.length - 2] = '"';
            doc[doc.length - 1] = '}';
            for (int chunk = 1; chunk <= 5; chunk++) {
                assertThat(firstBad(doc, chunk)).as("%s read %d at a time", java.util.Arrays.toString(sequence), chunk).isEqualTo(3);
            }
        }
        assertThat(firstBad(new byte[] {'x', (byte) 0xE2, (byte) 0x82}, 2)).as("cut at the end").isEqualTo(1);
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnRandomBytes() throws IOException {
        Random random = new Random(42);
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int bad = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly bytes that start or continue multi-byte sequences, where the mistakes are
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            boolean valid;
            try {
                decoder.reset().decode(ByteBuffer.wrap(bytes));
                valid = true;
            } catch (CharacterCodingException e) {
                valid = false;
            }
            long found = firstBad(bytes, 1 + random.nextInt(4));
            assertThat(found >= 0).as("%s", java.util.HexFormat.ofDelimiter(" ").formatHex(bytes)).isEqualTo(!valid);
            if (!valid) {
                bad++;
            }
        }
        assertThat(bad).as("the sample holds both").isBetween(1_000, 19_900);
    }
}
