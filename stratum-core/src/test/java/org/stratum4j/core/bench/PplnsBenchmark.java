package org.stratum4j.core.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Bech32;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.payout.PayoutPlan;
import org.stratum4j.core.payout.Pplns;

/**
 * What a job's payouts cost under PPLNS: a window of 1,000,000 shares over 10,000 addresses
 * (difficulties 1 to 65,536 with three decimals, as vardiff makes them), credited per address
 * ({@code window}) and split into a coinbase with a fee, carried balances for a tenth of the
 * addresses, and the default caps ({@code plan}).
 *
 * <p>Run: {@code ./mvnw -q -pl stratum-core test-compile exec:exec@jmh -Djmh.args="PplnsBenchmark -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PplnsBenchmark {

    private static final int SHARES = 1_000_000;
    private static final int ADDRESSES = 10_000;

    private List<Pplns.Share> newestFirst;
    private BigDecimal windowSize;
    private Map<Address, BigDecimal> credits;
    private Map<Address, Long> carried;
    private Pplns pplns;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1_000_000);
        Address[] addresses = new Address[ADDRESSES];
        for (int i = 0; i < ADDRESSES; i++) {
            byte[] program = new byte[i % 2 == 0 ? 20 : 32];
            r.nextBytes(program);
            byte[] five = Bech32.convertBits(program, 0, program.length, 8, 5, true);
            byte[] data = new byte[five.length + 1];
            data[0] = (byte) (i % 3 == 0 ? 1 : 0);
            if (data[0] == 1 && program.length != 32) {
                data[0] = 0;
            }
            System.arraycopy(five, 0, data, 1, five.length);
            addresses[i] = Address.parse(Bech32.encode("bc", data, data[0] == 1 ? Bech32.Variant.BECH32M : Bech32.Variant.BECH32),
                    Network.MAIN);
        }
        newestFirst = new ArrayList<>(SHARES);
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < SHARES; i++) {
            BigDecimal d = BigDecimal.valueOf(r.nextLong(1_000, 65_536_000), 3);
            newestFirst.add(new Pplns.Share(addresses[r.nextInt(ADDRESSES)], d));
            sum = sum.add(d);
        }
        windowSize = sum; // the whole million counts
        carried = new HashMap<>();
        for (int i = 0; i < ADDRESSES; i += 10) {
            carried.put(addresses[i], r.nextLong(1, 10_000));
        }
        pplns = Pplns.builder(addresses[1]).feePercent(BigDecimal.ONE).build();
        credits = Pplns.window(newestFirst.iterator(), windowSize);
    }

    /** Crediting a million shares to their addresses. */
    @Benchmark
    public Map<Address, BigDecimal> window() {
        return Pplns.window(newestFirst.iterator(), windowSize);
    }

    /** Splitting a coinbase over 10,000 credited addresses. */
    @Benchmark
    public PayoutPlan plan() {
        return pplns.plan(312_500_000 + 12_345_678, credits, carried);
    }
}
