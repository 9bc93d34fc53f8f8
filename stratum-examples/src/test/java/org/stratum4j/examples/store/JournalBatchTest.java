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

    @Test
    void whatIsNotATimeIsRefused() {
        for (String s : new String[] {"2026-02-30T10:00:00Z", "2027-02-29T10:00:00Z", "2026-13-01T10:00:00Z", 
                "2026-12-04T16:60:00Z", "2026-12-04T16:05:09.12a4Z", "x026-12-04T16:05:09Z",
                "2026-12-04 16:05:09Z", "", "2026-12-04T16:05:09.1234567890Z"}) {
            assertThatThrownBy(() -> JournalBatch.epochSecond(s)).as(s).isInstanceOf(DateTimeException.class);
        }
    }
}
