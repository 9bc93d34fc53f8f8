package org.stratum4j.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void quantilesAreExactBelowAMillisecondAndWithinAFifthOfAPercentAbove() {
        SplittableRandom random = new SplittableRandom(7);
        long[] values = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            // Mostly sub-millisecond, with a long tail up to 10 s.
            values[i] = random.nextInt(10) == 0 ? random.nextLong(1, 10_000_000) : random.nextLong(0, 1000);
            h.record(values[i]);
        }
        Arrays.sort(values);
        assertThat(h.count()).isEqualTo(values.length);
        assertThat(h.max()).isEqualTo(values[values.length - 1]);
        for (double q : new double[] {0.01, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            long got = h.quantile(q);
            if (exact < 1024) {
                assertThat(got).as("q=%s", q).isEqualTo(exact);
            } else {
                assertThat(got).as("q=%s", q).isLessThanOrEqualTo(exact).isGreaterThanOrEqualTo((long) (exact * 0.998));
            }
        }
    }

    @Test
    void bucketBoundsAreContiguousAndEveryValueFallsInItsOwnBucket() {
        for (int i = 1; i < 1024 + 31 * 512 - 1; i++) {
            assertThat(LatencyHistogram.lowerBound(i)).isGreaterThan(LatencyHistogram.lowerBound(i - 1));
        }
        for (long v : new long[] {0, 1, 1023, 1024, 1025, 2047, 2048, 123_456_789, 1L << 39}) {
            int i = LatencyHistogram.index(v);
            assertThat(LatencyHistogram.lowerBound(i)).isLessThanOrEqualTo(v);
            assertThat(LatencyHistogram.lowerBound(i + 1)).isGreaterThan(v);
        }
    }

    @Test
    void encodeDecodeAndMergeKeepEveryCount() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 1000; i++) {
            a.record(i);
            b.record(i * 1000L);
        }
        LatencyHistogram c = LatencyHistogram.decode(a.encode());
        assertThat(c.count()).isEqualTo(1000);
        assertThat(c.quantile(0.5)).isEqualTo(a.quantile(0.5));
        c.add(LatencyHistogram.decode(b.encode()));
        assertThat(c.count()).isEqualTo(2000);
        assertThat(c.max()).isEqualTo(999_000);
        assertThat(c.quantile(0.25)).isEqualTo(498); // 0 twice, then 1, 2, …
        assertThat(new LatencyHistogram().quantile(0.99)).isZero();
        assertThatThrownBy(() -> a.quantile(1.5)).hasMessageContaining("outside 0..1");
        assertThatThrownBy(() -> LatencyHistogram.decode("5 99999:1")).hasMessageContaining("bad histogram bucket");
    }
}
