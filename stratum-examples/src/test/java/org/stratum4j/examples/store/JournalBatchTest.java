package org.stratum4j.examples.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shipper's own reading of journal times agrees with {@link Instant#parse} and refuses what it refuses. */
class JournalBatchTest {

    @Test
    void theFastTimeReaderAgreesWithInstantParseOnEveryShapeInstantWrites() {
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 100_000; i++) {
            // 1970 to 2100, with 0, 3, 6 or 9 digits of fraction as Instant.toString() chooses.
            Instant t = Instant.ofEpochSecond(random.nextLong(4_102_444_800L), random.nextInt(4) * 250_000_000L
                    + (random.nextBoolean() ? random.nextInt(1_000_000_000) : 0) % 1_000_000_000);
            assertThat(JournalBatch.epochSecond(t.toString())).as(t.toString()).isEqualTo(t.getEpochSecond());
        }
        for (String s : new String[] {"2028-02-29T23:59:59Z", "2026-12-31T00:00:00.5Z", "1999-12-31T23:59:59.999999999Z",
                "2026-12-04T16:05:09+01:00"}) {
            assertThat(JournalBatch.epochSecond(s)).as(s).isEqualTo(java.time.OffsetDateTime.parse(s).toEpochSecond());
        }
        // Shapes Instant.parse takes that Instant.toString() never writes: read the same way.
        for (String s : new String[] {"2026-12-04T24:00:00Z", "2026-12-04T16:05:09.Z"}) {
            assertThat(JournalBatch.epochSecond(s)).as(s).isEqualTo(Instant.parse(s).getEpochSecond());
        }
    }

    static final String GOOD = "{\"time\":\"2026-12-04T16:05:09.5Z\",\"worker\":\"w%d\",\"job\":\"j\",\"extranonce1\":\"00\","
            + "\"extranonce2\":\"01\",\"ntime\":\"6b12d461\",\"nonce\":\"00000001\",\"version\":\"20000000\",\"difficulty\":\"1\","
            + "\"hash\":\"00000000ffff0000000000000000000000000000000000000000000000000000\",\"block\":false}";

    /** The seq (journal offset) of each COPY row. */
    static java.util.List<Long> seqs(JournalBatch b) {
        return b.rowsAsText().lines().map(l -> Long.parseLong(l.split("\t")[1])).toList();
    }

    @Test
    void oneParserReadsTheBatchAndADamagedLineIsReadAloneAndSkippedWithoutLosingItsNeighbours() throws Exception {
        String[] lines = {
            GOOD.formatted(0),
            GOOD.formatted(1).substring(0, 60), // torn by a crash
            GOOD.formatted(2),
            "not json at all",
            GOOD.formatted(3) + GOOD.formatted(4), // two objects on one line: damage
            "   ",
            GOOD.formatted(5) + "  ", // trailing blanks: read alone, and kept
            GOOD.formatted(6).replace("00000000ffff", "zz000000ffff"), // a damaged hash: skipped with a WARN
            "",
            GOOD.formatted(7).replace(",\"block\":false", ",\"later\":{\"a\":[1,2]},\"block\":true"), // a field from a later version
            GOOD.formatted(8),
        };
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JournalBatch b = new JournalBatch(3, "test");
        b.addLines(1000, bytes, bytes.length);
        java.util.List<Long> expected = new java.util.ArrayList<>();
        long offset = 1000;
        for (int i = 0; i < lines.length; i++) {
            if (i == 0 || i == 2 || i == 6 || i == 9 || i == 10) {
                expected.add(offset);
            }
            offset += lines[i].getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        }
        assertThat(seqs(b)).isEqualTo(expected);
        assertThat(b.rowsAsText().lines().map(l -> l.split("\t")[3])).containsExactly("w0", "w2", "w5", "w7", "w8");
        assertThat(b.entries()).as("every non-empty line is a journal entry").isEqualTo(10);
        assertThat(b.blocks()).extracting(JournalBatch.BlockShare::worker).containsExactly("w7");
        assertThat(b.rollups()).extracting(e -> e.getValue().shares).containsOnly(1L).hasSize(5);
        // Cleared, the batch reads the next one from scratch.
        b.clear();
        b.addLines(0, bytes, bytes.length);
        assertThat(seqs(b)).hasSize(5).startsWith(0L);
    }

    @Test
    void whatIsNotATimeIsRefused() {
        for (String s : new String[] {"2026-02-30T10:00:00Z", "2027-02-29T10:00:00Z", "2026-13-01T10:00:00Z", 
                "2026-12-04T16:60:00Z", "2026-12-04T16:05:09.12a4Z", "x026-12-04T16:05:09Z",
                "2026-12-04 16:05:09Z", "", "2026-12-04T16:05:09.1234567890Z"}) {
            assertThatThrownBy(() -> JournalBatch.epochSecond(s)).as(s).isInstanceOf(DateTimeException.class);
        }
    }
}
