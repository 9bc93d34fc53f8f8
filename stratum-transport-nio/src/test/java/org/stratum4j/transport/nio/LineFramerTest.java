package org.stratum4j.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lines cut from a stream however it is split into reads, with a buffer of its own only for an unfinished line. */
class LineFramerTest {

    final List<String> lines = new ArrayList<>();
    final LineFramer.Sink sink = (b, off, len) -> lines.add(new String(b, off, len, StandardCharsets.US_ASCII));

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void everySplitOfTheStreamGivesTheSameLines() {
        String stream = "{\"id\":1}\n{\"id\":2}\r\n\n" + "x".repeat(300) + "\n{\"id\":3}\n";
        List<String> expected = List.of("{\"id\":1}", "{\"id\":2}", "", "x".repeat(300), "{\"id\":3}");
        Random random = new Random(5);
        for (int scratch : new int[] {1, 7, 64, 4096}) {
            for (int run = 0; run < 200; run++) {
                lines.clear();
                LineFramer f = new LineFramer(1000, new byte[scratch]);
                int at = 0;
                while (at < stream.length()) {
                    int n = 1 + random.nextInt(Math.min(40, stream.length() - at));
                    assertThat(f.feed(bytes(stream.substring(at, at + n)), sink)).isTrue();
                    at += n;
                }
                assertThat(lines).isEqualTo(expected);
                assertThat(f.pending()).isZero();
                assertThat(f.held()).as("nothing unfinished, nothing held").isZero();
            }
        }
    }

    @Test
    void onlyAnUnfinishedLineIsHeldAndOnlyUntilItEnds() {
        LineFramer f = new LineFramer(16 * 1024, new byte[32 * 1024]);
        assertThat(f.feed(bytes("{\"id\":1}\n{\"id\":2}\n"), sink)).isTrue();
        assertThat(f.held()).isZero();
        assertThat(f.feed(bytes("{\"id\":3}\n{\"id\""), sink)).isTrue();
        assertThat(f.pending()).isEqualTo(5);
        assertThat(f.held()).isEqualTo(256);
        assertThat(f.feed(bytes(":4}\n"), sink)).isTrue();
        assertThat(lines).containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":3}", "{\"id\":4}");
        assertThat(f.held()).isZero();
    }

    @Test
    void aLineLongerThanTheCapIsRefusedAsSoonAsTheCapIsPassed() {
        LineFramer whole = new LineFramer(100, new byte[4096]);
        assertThat(whole.feed(bytes("y".repeat(100) + "\n"), sink)).isTrue();
        assertThat(whole.feed(bytes("y".repeat(101) + "\n"), sink)).isFalse();
        // Unfinished and already too long: refused without waiting for its end, and without holding more than the cap.
        LineFramer growing = new LineFramer(100, new byte[4096]);
        assertThat(growing.feed(bytes("z".repeat(90)), sink)).isTrue();
        assertThat(growing.feed(bytes("z".repeat(20)), sink)).isFalse();
        assertThat(growing.held()).isLessThanOrEqualTo(102);
        LineFramer atOnce = new LineFramer(100, new byte[4096]);
        assertThat(atOnce.feed(bytes("q".repeat(5000)), sink)).isFalse();
        assertThat(lines).containsExactly("y".repeat(100));
    }

    @Test
    void theSinkStopsTheFeed() {
        LineFramer f = new LineFramer(100, new byte[64]);
        LineFramer.Sink once = (b, off, len) -> {
            lines.add(new String(b, off, len, StandardCharsets.US_ASCII));
            return false;
        };
        assertThat(f.feed(bytes("a\nb\nc\n"), once)).isFalse();
        assertThat(lines).containsExactly("a");
    }
}
