package org.stratum4j.core.payout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.job.CoinbaseOutput;

/**
 * How one coinbase pays: each payee's movements and the outputs that carry them. Immutable.
 *
 * <p>The accounts balance to the satoshi: the payees' {@link Payee#earned() earnings} and the
 * {@link #fee() fee} add up to the {@link #coinbaseValue() coinbase value}; each payee is either
 * {@linkplain Payee#paid() paid} everything due (its earnings plus what was carried for it) or
 * carries it all forward; and the {@linkplain #poolOutput() pool's output} is what is left, which
 * is the fee plus what the payees carry forward minus what they had carried and are paid now. So
 * the pool's address holds, on chain, exactly the balances it carries.
 */
public final class PayoutPlan {

    /**
     * One payee's part of a block.
     *
     * @param address    who
     * @param credit     its share difficulty in the window (the weight of its earnings)
     * @param earned     its part of this block's reward after the fee, in satoshis
     * @param carriedIn  what was carried for it before this block
     * @param paid       its output in this coinbase: {@code earned + carriedIn}, or 0 when carried on
     * @param carriedOut what is carried for it after this block: 0 when paid, else {@code earned + carriedIn}
     */
    public record Payee(Address address, java.math.BigDecimal credit, long earned, long carriedIn, long paid, long carriedOut) {
        /** Checks that the payee's own account balances. */
        public Payee {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(credit, "credit");
            if (earned < 0 || carriedIn < 0 || paid < 0 || carriedOut < 0 || paid + carriedOut != earned + carriedIn
                    || paid != 0 && carriedOut != 0) {
                throw new IllegalArgumentException("payee " + address + ": earned " + earned + " + carried in " + carriedIn
                        + " must equal paid " + paid + " + carried out " + carriedOut + ", one of them zero");
            }
        }
    }

    private final long coinbaseValue;
    private final long fee;
    private final List<Payee> payees;
    private final Address poolAddress;
    private final long poolOutput;
    private final List<CoinbaseOutput> outputs;

    PayoutPlan(long coinbaseValue, long fee, List<Payee> payees, Address poolAddress) {
        this.coinbaseValue = coinbaseValue;
        this.fee = fee;
        this.payees = Collections.unmodifiableList(new ArrayList<>(payees));
        this.poolAddress = poolAddress;
        long earned = 0;
        long paid = 0;
        List<CoinbaseOutput> out = new ArrayList<>();
        for (Payee p : payees) {
            earned += p.earned();
            paid += p.paid();
            if (p.paid() > 0) {
                out.add(CoinbaseOutput.to(p.address(), p.paid()));
            }
        }
        if (earned + fee != coinbaseValue || paid > coinbaseValue) {
            throw new IllegalStateException("payout plan does not balance: earned " + earned + " + fee " + fee + " vs coinbase "
                    + coinbaseValue + ", paid " + paid);
        }
        this.poolOutput = coinbaseValue - paid;
        if (poolOutput > 0) {
            out.add(CoinbaseOutput.to(poolAddress, poolOutput));
        }
        this.outputs = Collections.unmodifiableList(out);
    }

    /** The coinbase's outputs, payees in plan order then the pool's (when it gets anything); together the coinbase value. */
    public List<CoinbaseOutput> outputs() {
        return outputs;
    }

    /** Every payee with a credit in the window or a carried balance, paid ones first, in the order of {@link #outputs()}. */
    public List<Payee> payees() {
        return payees;
    }

    /** The reward split: the template's {@code coinbasevalue}. */
    public long coinbaseValue() {
        return coinbaseValue;
    }

    /** The pool's fee in satoshis. */
    public long fee() {
        return fee;
    }

    /** The pool's output: fee + carried out − carried in (what the pool's address holds for the payees changes by the difference). */
    public long poolOutput() {
        return poolOutput;
    }

    /** Where the fee and the carried amounts go. */
    public Address poolAddress() {
        return poolAddress;
    }

    /** This block's earnings paid in it. With {@link #fee()} and {@link #earningsCarried()}: the coinbase value. */
    public long earningsPaid() {
        return payees.stream().filter(p -> p.paid() > 0).mapToLong(Payee::earned).sum();
    }

    /** This block's earnings carried to a later block (below the minimum, or past the output cap). */
    public long earningsCarried() {
        return payees.stream().filter(p -> p.paid() == 0).mapToLong(Payee::earned).sum();
    }

    /** Balances carried from earlier blocks and paid in this one (out of the pool's part, which holds them). */
    public long balancesPaid() {
        return payees.stream().filter(p -> p.paid() > 0).mapToLong(Payee::carriedIn).sum();
    }

    @Override
    public String toString() {
        return "PayoutPlan[" + coinbaseValue + " sat: " + outputs.size() + " outputs, fee " + fee + ", pool output " + poolOutput + "]";
    }
}
