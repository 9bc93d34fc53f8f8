package org.stratum4j.core.bitcoin;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A share difficulty: a positive decimal number, kept exact so that the share target it gives is
 * exactly {@code floor(DIFF1 / difficulty)}, the rule ckpool, btcpool and ESP-Miner agree on.
 *
 * <p>Miners and pools exchange difficulty as JSON numbers ({@code 1024}, {@code 0.001},
 * {@code 65536.5}); keeping the decimal text avoids the off-by-a-few target that a binary double
 * gives for values such as {@code 0.1}. The target is computed once, when the value is made.
 *
 * <p>Immutable. Values are limited to {@code 10^-80 <= d < 10^80} with at most 80 significant
 * digits, so that a hostile {@code 1e999999999} cannot make the division expensive; everything
 * below about {@code 2.3·10^-10} already gives the all-accepting target {@link Target#MAX}.
 */
public final class Difficulty implements Comparable<Difficulty> {

    private static final BigInteger DIFF1 = Target.DIFF1.toBigInteger();
    private static final BigInteger MAX_TARGET = Target.MAX.toBigInteger();
    private static final int MAX_EXPONENT = 80;

    /** Difficulty 1: the {@link Target#DIFF1} target. */
    public static final Difficulty ONE = of(BigDecimal.ONE);

    private final BigDecimal value;
    private final Target target;

    private Difficulty(BigDecimal value) {
        this.value = value;
        this.target = computeTarget(value);
    }

    /**
     * A difficulty from a decimal string, as a JSON number or numeric string carries it.
     *
     * @throws IllegalArgumentException unless the text is a positive decimal number in range
     */
    public static Difficulty of(String decimal) {
        Objects.requireNonNull(decimal, "decimal");
        BigDecimal d;
        try {
            // Bound the text before BigDecimal sees it: its parser is linear, but its exponent is not.
            if (decimal.length() > 200) {
                throw new NumberFormatException("too long");
            }
            d = new BigDecimal(decimal.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("difficulty must be a positive decimal number, got \"" + abbreviate(decimal) + '"', e);
        }
        return of(d);
    }

    /**
     * A difficulty from an exact decimal.
     *
     * @throws IllegalArgumentException unless {@code 10^-80 <= value < 10^80}
     */
    public static Difficulty of(BigDecimal value) {
        Objects.requireNonNull(value, "value");
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("difficulty must be positive, got " + value.toPlainString());
        }
        BigDecimal v = value.stripTrailingZeros();
        int integerDigits = v.precision() - v.scale();
        if (integerDigits > MAX_EXPONENT || v.scale() > MAX_EXPONENT || v.precision() > MAX_EXPONENT) {
            throw new IllegalArgumentException("difficulty must be between 1e-80 and 1e80 with at most 80 digits, got "
                    + abbreviate(value.toString()));
        }
        return new Difficulty(v);
    }

    /**
     * A difficulty from a double, taken at its {@link Double#toString} decimal form (so {@code 0.1}
     * means one tenth, as the JSON text that produced it did). That form is the shortest one from
     * JDK 19; on 17 a few values get extra digits. Prefer {@link #of(String)} with the original
     * text where there is one, as the codec does.
     *
     * @throws IllegalArgumentException unless the value is finite and positive (and in range)
     */
    public static Difficulty of(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("difficulty must be a finite positive number, got " + value);
        }
        return of(BigDecimal.valueOf(value));
    }

    /** A whole-number difficulty. */
    public static Difficulty of(long value) {
        return of(BigDecimal.valueOf(value));
    }

    /**
     * The difficulty of a hash (what pools log as a share's difficulty): {@code DIFF1 / hash}, as a
     * double. Positive infinity for the zero hash.
     */
    public static double ofHash(Sha256Hash hash) {
        byte[] b = hash.internalBytes();
        return ofHash(b, 0);
    }

    /** As {@link #ofHash(Sha256Hash)}, for internal-order hash bytes in a buffer, without allocating. */
    public static double ofHash(byte[] hashInternal, int offset) {
        return Target.DIFF1_DOUBLE / Target.hashToDouble(hashInternal, offset);
    }

    /** The share target {@code floor(DIFF1 / difficulty)}, capped at {@link Target#MAX}. */
    public Target toTarget() {
        return target;
    }

    /** The exact value. */
    public BigDecimal toBigDecimal() {
        return value;
    }

    /** The nearest double, for JSON output and arithmetic. */
    public double toDouble() {
        return value.doubleValue();
    }

    /** The smaller of two difficulties (the easier share target). */
    public static Difficulty min(Difficulty a, Difficulty b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The larger of two difficulties. */
    public static Difficulty max(Difficulty a, Difficulty b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(Difficulty o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Difficulty && ((Difficulty) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The plain decimal form, e.g. {@code 1024} or {@code 0.001}. */
    @Override
    public String toString() {
        return value.toPlainString();
    }

    private static Target computeTarget(BigDecimal d) {
        BigInteger unscaled = d.unscaledValue();
        int scale = d.scale();
        BigInteger q;
        if (scale >= 0) {
            q = DIFF1.multiply(BigInteger.TEN.pow(scale)).divide(unscaled);
        } else {
            q = DIFF1.divide(unscaled.multiply(BigInteger.TEN.pow(-scale)));
        }
        return Target.of(q.min(MAX_TARGET));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
