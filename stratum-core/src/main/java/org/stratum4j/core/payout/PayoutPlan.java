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
 * {@link #fee() fee} add up to the {@link #coinbaseValue() coinbase value}; for each payee, what it
 * earned plus what was carried for it equals what it is {@linkplain Payee#paid() paid} plus what
 * is carried for it after; and the {@linkplain #poolOutput() pool's output} is the fee plus the
 * change in carried balances ({@link #balancesAfter()} − {@link #balancesBefore()}). So the pool's
 * address holds, on chain, exactly the balances carried for the payees.
 */
public final class PayoutPlan {

    /**
     * One payee's part of a block.
     *
     * @param address    who
     * @param credit     its share difficulty in the window (the weight of its earnings)
     * @param earned     its part of this block's reward after the fee, in satoshis
     * @param carriedIn  what was carried for it before this block
     * @param paid       its output in this coinbase, or 0 when everything is carried on
     * @param carriedOut what is carried for it after this block: everything when it is not paid;
     *                   when it is paid, the part of its earnings lent to pay other payees' balances
     */
    public record Payee(Address address, java.math.BigDecimal credit, long earned, long carriedIn, long paid, long carriedOut) {
        /** Checks that the payee's own account balances. */
        public Payee {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(credit, "credit");
            if (earned < 0 || carriedIn < 0 || paid < 0 || carriedOut < 0 || paid + carriedOut != earned + carriedIn) {
                throw new IllegalArgumentException("payee " + address + ": earned " + earned + " + carried in " + carriedIn
                        + " must equal paid " + paid + " + carried out " + carriedOut + ", none negative");
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
        long change = 0;
        for (Payee p : payees) {
            change += p.carriedOut() - p.carriedIn();
        }
        if (earned + fee != coinbaseValue || paid > coinbaseValue || coinbaseValue - paid != fee + change) {
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

    /** The pool's output: the fee plus the change in carried balances (what the pool's address holds for the payees). */
    public long poolOutput() {
        return poolOutput;
    }

    /** Where the fee and the carried amounts go. */
    public Address poolAddress() {
        return poolAddress;
    }

    /** The balances carried for the payees before this block. */
    public long balancesBefore() {
        return payees.stream().mapToLong(Payee::carriedIn).sum();
    }

    /** The balances carried for the payees after this block. */
    public long balancesAfter() {
        return payees.stream().mapToLong(Payee::carriedOut).sum();
    }

    @Override
    public String toString() {
        return "PayoutPlan[" + coinbaseValue + " sat: " + outputs.size() + " outputs, fee " + fee + ", pool output " + poolOutput + "]";
    }
}
