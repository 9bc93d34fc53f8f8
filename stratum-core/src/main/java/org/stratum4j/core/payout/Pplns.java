package org.stratum4j.core.payout;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.job.BlockTemplate;

/**
 * Pay per last N shares, in the coinbase: a block's reward split over the most recent shares, in
 * proportion to their difficulty, paid straight to the miners' addresses. Pure and deterministic:
 * every pool process given the same window and balances makes the same outputs in the same order.
 *
 * <p><b>The window</b> ({@link #window}): shares newest first, each counted while the difficulty
 * before it is below the window's size; the share that crosses the size counts only for the part
 * inside. Credits are per address, exact decimals.
 *
 * <p><b>The split</b> ({@link #plan}): the fee is {@code floor(value × fee% / 100)}; the rest is
 * shared as {@code floor(rest × credit / total)}, and the satoshis that rounding leaves go one each
 * to the largest remainders (ties by output script), so the earnings add up to the rest exactly.
 * Each payee is due its earnings plus its carried balance. In order of the amount due (largest
 * first; ties by output script) a payee is paid when the amount reaches the minimum payout and
 * the output cap and the byte budget leave room; otherwise the whole amount is carried to a later
 * block. Whatever the coinbase does not pay to payees goes to the pool's address: the fee, plus
 * the earnings carried, minus the balances paid now; so carried amounts are held at the pool's
 * address on chain, never forfeited. When that is not enough to pay the old balances due (a small
 * or no fee), the paid payees lend the shortfall from this block's earnings, in proportion to
 * them, and it is carried for them instead: balances are paid as soon as they are due whatever
 * the fee, and {@link PayoutPlan} still balances to the satoshi.
 */
public final class Pplns {

    /** A share in the window: who it pays and its difficulty. */
    public record Share(Address payee, BigDecimal difficulty) {
        /** Checks the difficulty is positive. */
        public Share {
            Objects.requireNonNull(payee, "payee");
            if (Objects.requireNonNull(difficulty, "difficulty").signum() <= 0) {
                throw new IllegalArgumentException("share difficulty " + difficulty + " must be positive");
            }
        }
    }

    /** Serialized size of an output besides its script: 8-byte value and a one-byte script length. */
    private static final int OUTPUT_OVERHEAD = 9;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Comparator<Address> BY_SCRIPT = (a, b) -> {
        int c = Arrays.compareUnsigned(a.scriptPubKey(), b.scriptPubKey());
        return c != 0 ? c : a.text().compareTo(b.text());
    };

    private final Address poolAddress;
    private final BigDecimal feePercent;
    private final long minPayout;
    private final int maxOutputs;
    private final int maxOutputBytes;

    private Pplns(Builder b) {
        this.poolAddress = b.poolAddress;
        this.feePercent = b.feePercent;
        this.minPayout = b.minPayout;
        this.maxOutputs = b.maxOutputs;
        this.maxOutputBytes = b.maxOutputBytes;
    }

    /** A split whose fee, rounding and carried balances go to {@code poolAddress}. */
    public static Builder builder(Address poolAddress) {
        return new Builder(poolAddress);
    }

    /** Settings; every one is checked when set. */
    public static final class Builder {
        private final Address poolAddress;
        private BigDecimal feePercent = BigDecimal.ZERO;
        private long minPayout = 10_000;
        private int maxOutputs = 50;
        private int maxOutputBytes = 3_000;

        private Builder(Address poolAddress) {
            this.poolAddress = Objects.requireNonNull(poolAddress, "poolAddress");
        }

        /** The pool's fee, 0 to 100 percent (default 0). */
        public Builder feePercent(BigDecimal percent) {
            if (Objects.requireNonNull(percent, "percent").signum() < 0 || percent.compareTo(HUNDRED) > 0) {
                throw new IllegalArgumentException("pool fee " + percent.toPlainString() + "% is outside 0..100%");
            }
            this.feePercent = percent;
            return this;
        }

        /** Amounts due below this many satoshis are carried, not paid (default 10,000). */
        public Builder minPayout(long satoshis) {
            if (satoshis < 0 || satoshis > BlockTemplate.MAX_MONEY) {
                throw new IllegalArgumentException("minimum payout " + satoshis + " sat is outside 0.." + BlockTemplate.MAX_MONEY);
            }
            this.minPayout = satoshis;
            return this;
        }

        /** At most this many payee outputs in a coinbase, the pool's own not counted (default 50). */
        public Builder maxOutputs(int outputs) {
            if (outputs < 0 || outputs > 1_000) {
                throw new IllegalArgumentException("maximum payout outputs " + outputs + " is outside 0..1000");
            }
            this.maxOutputs = outputs;
            return this;
        }

        /**
         * At most this many bytes of serialized payee outputs (default 3,000): with the pool's output,
         * the witness commitment and the input, the coinbase stays under 4 KiB, which devices that
         * build it on a small stack (Bitaxe's ESP-Miner: 8 KiB) need.
         */
        public Builder maxOutputBytes(int bytes) {
            if (bytes < 0 || bytes > 100_000) {
                throw new IllegalArgumentException("maximum payout output bytes " + bytes + " is outside 0..100000");
            }
            this.maxOutputBytes = bytes;
            return this;
        }

        /** The split. */
        public Pplns build() {
            return new Pplns(this);
        }
    }

    /**
     * Each address's credit in a window of {@code size} difficulty over {@code newestFirst}:
     * shares are taken while the difficulty before them is below the size, the last one only for
     * the part inside.
     */
    public static Map<Address, BigDecimal> window(Iterator<Share> newestFirst, BigDecimal size) {
        if (Objects.requireNonNull(size, "size").signum() <= 0) {
            throw new IllegalArgumentException("PPLNS window size " + size + " must be positive");
        }
        Map<Address, BigDecimal> credits = new HashMap<>();
        BigDecimal taken = BigDecimal.ZERO;
        while (taken.compareTo(size) < 0 && newestFirst.hasNext()) {
            Share s = newestFirst.next();
            BigDecimal counted = s.difficulty().min(size.subtract(taken));
            credits.merge(s.payee(), counted, BigDecimal::add);
            taken = taken.add(counted);
        }
        return credits;
    }

    /**
     * The plan for a coinbase of {@code coinbaseValue} satoshis over {@code credits} (per address,
     * from {@link #window}), with {@code carried} balances from earlier blocks (per address;
     * absent means 0).
     */
    public PayoutPlan plan(long coinbaseValue, Map<Address, BigDecimal> credits, Map<Address, Long> carried) {
        if (coinbaseValue < 0 || coinbaseValue > BlockTemplate.MAX_MONEY) {
            throw new IllegalArgumentException("coinbase value " + coinbaseValue + " is outside 0.." + BlockTemplate.MAX_MONEY);
        }
        long fee = BigDecimal.valueOf(coinbaseValue).multiply(feePercent).divide(HUNDRED, 0, RoundingMode.FLOOR).longValueExact();
        long rest = coinbaseValue - fee;

        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<Address, BigDecimal> e : credits.entrySet()) {
            if (e.getValue().signum() < 0) {
                throw new IllegalArgumentException("credit " + e.getValue() + " of " + e.getKey() + " is negative");
            }
            total = total.add(e.getValue());
        }
        // Every address with a credit or a balance, in script order so that rounding ties break the same way everywhere.
        List<Address> addresses = new ArrayList<>(credits.keySet());
        for (Map.Entry<Address, Long> e : carried.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("carried balance " + e.getValue() + " of " + e.getKey() + " is negative");
            }
            if (e.getValue() > 0 && !credits.containsKey(e.getKey())) {
                addresses.add(e.getKey());
            }
        }
        addresses.sort(BY_SCRIPT);
        int n = addresses.size();
        long[] earned = new long[n];
        if (total.signum() == 0) {
            // No shares: the payees' part (there is none to earn) goes to the pool.
            fee = coinbaseValue;
            rest = 0;
        } else {
            BigDecimal[] weights = new BigDecimal[n];
            for (int i = 0; i < n; i++) {
                weights[i] = credits.getOrDefault(addresses.get(i), BigDecimal.ZERO);
            }
            earned = apportion(rest, weights, null);
        }

        Integer[] byDue = new Integer[n];
        long[] due = new long[n];
        for (int i = 0; i < n; i++) {
            byDue[i] = i;
            due[i] = earned[i] + carried.getOrDefault(addresses.get(i), 0L);
        }
        Arrays.sort(byDue, (a, b) -> {
            int c = Long.compare(due[b], due[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        boolean[] pays = new boolean[n];
        long balancesPaid = 0;
        long paidTotal = 0;
        long earnedPaid = 0;
        int outputs = 0;
        int bytes = 0;
        for (int i : byDue) {
            Address a = addresses.get(i);
            long in = carried.getOrDefault(a, 0L);
            int size = OUTPUT_OVERHEAD + a.scriptPubKey().length;
            // Balances paid now come out of this coinbase: they can never add up to more than it.
            pays[i] = due[i] > 0 && due[i] >= minPayout && outputs < maxOutputs && bytes + size <= maxOutputBytes
                    && balancesPaid + in <= coinbaseValue;
            if (pays[i]) {
                outputs++;
                bytes += size;
                balancesPaid += in;
                paidTotal += due[i];
                earnedPaid += earned[i];
            }
        }
        // More due than the coinbase holds: the paid payees lend the shortfall from their earnings, pro rata.
        long shortfall = Math.max(0, paidTotal - coinbaseValue);
        long[] lent = new long[n];
        if (shortfall > 0) {
            BigDecimal[] weights = new BigDecimal[n];
            for (int i = 0; i < n; i++) {
                weights[i] = pays[i] ? BigDecimal.valueOf(earned[i]) : BigDecimal.ZERO;
            }
            lent = apportion(shortfall, weights, earned);
        }
        List<PayoutPlan.Payee> paid = new ArrayList<>();
        List<PayoutPlan.Payee> carriedOn = new ArrayList<>();
        for (int i : byDue) {
            Address a = addresses.get(i);
            long in = carried.getOrDefault(a, 0L);
            BigDecimal credit = credits.getOrDefault(a, BigDecimal.ZERO);
            if (pays[i] && due[i] - lent[i] > 0) {
                paid.add(new PayoutPlan.Payee(a, credit, earned[i], in, due[i] - lent[i], lent[i]));
            } else {
                carriedOn.add(new PayoutPlan.Payee(a, credit, earned[i], in, 0, due[i]));
            }
        }
        List<PayoutPlan.Payee> payees = new ArrayList<>(paid);
        payees.addAll(carriedOn);
        return new PayoutPlan(coinbaseValue, fee, payees, poolAddress);
    }

    /**
     * {@code amount} satoshis in proportion to {@code weights}: each part rounded down, then the
     * satoshis left one each to the largest remainders (equal ones in index order, which callers
     * make script order), never past {@code caps[i]} ({@code caps} null: no cap). A zero weight
     * gets nothing. The caller makes sure the parts can hold the amount.
     */
    private static long[] apportion(long amount, BigDecimal[] weights, long[] caps) {
        int n = weights.length;
        BigDecimal total = BigDecimal.ZERO;
        for (BigDecimal w : weights) {
            total = total.add(w);
        }
        long[] part = new long[n];
        BigDecimal[] remainders = new BigDecimal[n];
        long given = 0;
        BigDecimal whole = BigDecimal.valueOf(amount);
        for (int i = 0; i < n; i++) {
            if (weights[i].signum() > 0) {
                BigDecimal exact = whole.multiply(weights[i]).divide(total, 30, RoundingMode.FLOOR);
                part[i] = exact.setScale(0, RoundingMode.FLOOR).longValueExact();
                remainders[i] = exact.subtract(BigDecimal.valueOf(part[i]));
                given += part[i];
            } else {
                remainders[i] = BigDecimal.valueOf(-1);
            }
        }
        Integer[] byRemainder = new Integer[n];
        for (int i = 0; i < n; i++) {
            byRemainder[i] = i;
        }
        Arrays.sort(byRemainder, (x, y) -> {
            int c = remainders[y].compareTo(remainders[x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        for (int k = 0; given < amount; k++) {
            int i = byRemainder[k % n];
            if (weights[i].signum() > 0 && (caps == null || part[i] < caps[i])) {
                part[i]++;
                given++;
            }
        }
        return part;
    }

    @Override
    public String toString() {
        return "Pplns[fee " + feePercent.toPlainString() + "%, min payout " + minPayout + " sat, at most " + maxOutputs + " outputs / "
                + maxOutputBytes + " bytes, pool " + poolAddress + "]";
    }
}
