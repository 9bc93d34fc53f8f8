package org.stratum4j.core.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.job.CoinbaseOutput;

class PplnsTest {

    // Real main-network addresses, one of each kind.
    static final Address P2PKH = Address.parse("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", Network.MAIN);
    static final Address P2SH = Address.parse("36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm", Network.MAIN);
    static final Address P2WPKH = Address.parse("bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv", Network.MAIN);
    static final Address P2WSH = Address.parse("bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7", Network.MAIN);
    static final Address P2TR = Address.parse("bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu", Network.MAIN);
    static final Address POOL = P2WPKH;
    static final long REWARD = 312_500_000;

    static Map<Address, BigDecimal> credits(Object... addressAndCredit) {
        Map<Address, BigDecimal> m = new LinkedHashMap<>();
        for (int i = 0; i < addressAndCredit.length; i += 2) {
            m.put((Address) addressAndCredit[i], new BigDecimal(addressAndCredit[i + 1].toString()));
        }
        return m;
    }

    static long total(List<CoinbaseOutput> outputs) {
        return outputs.stream().mapToLong(CoinbaseOutput::value).sum();
    }

    /** Every account of a plan balances, to the satoshi. */
    static void assertBalanced(PayoutPlan p) {
        assertThat(total(p.outputs())).isEqualTo(p.coinbaseValue());
        assertThat(p.payees().stream().mapToLong(PayoutPlan.Payee::earned).sum() + p.fee()).isEqualTo(p.coinbaseValue());
        assertThat(p.poolOutput()).isEqualTo(p.fee() + p.balancesAfter() - p.balancesBefore()).isNotNegative();
        for (PayoutPlan.Payee x : p.payees()) {
            assertThat(x.paid() + x.carriedOut()).isEqualTo(x.earned() + x.carriedIn());
        }
    }

    @Test
    void eachAddressEarnsItsShareOfTheWindowAndRoundingGoesToTheLargestRemainders() {
        Pplns pplns = Pplns.builder(POOL).build();
        PayoutPlan p = pplns.plan(REWARD, credits(P2PKH, "1", P2SH, "2", P2TR, "3"), Map.of());
        // 312,500,000 × 1/6 = 52,083,333.33…, × 2/6 = 104,166,666.66…, × 3/6 = 156,250,000: one satoshi left, to the .66.
        assertThat(p.outputs()).containsExactly(CoinbaseOutput.to(P2TR, 156_250_000), CoinbaseOutput.to(P2SH, 104_166_667),
                CoinbaseOutput.to(P2PKH, 52_083_333));
        assertThat(p.fee()).isZero();
        assertThat(p.poolOutput()).isZero();
        assertBalanced(p);
    }

    @Test
    void theReadmesWorkedExample() {
        Address alice = P2WPKH;
        Address bob = P2TR;
        Address carol = P2SH;
        Address dave = P2PKH;
        PayoutPlan p = Pplns.builder(P2WSH).feePercent(BigDecimal.ONE).minPayout(10_000).build().plan(312_812_345L,
                credits(alice, "600", bob, "399.98", carol, "0.015", dave, "0.005"), Map.of(carol, 7_000L));
        assertThat(p.fee()).isEqualTo(3_128_123);
        assertThat(p.outputs()).containsExactly(CoinbaseOutput.to(alice, 185_810_533), CoinbaseOutput.to(bob, 123_867_495),
                CoinbaseOutput.to(carol, 11_645), CoinbaseOutput.to(P2WSH, 3_122_672));
        assertThat(p.payees()).last().isEqualTo(new PayoutPlan.Payee(dave, new BigDecimal("0.005"), 1_549, 0, 0, 1_549));
        assertBalanced(p);
    }

    @Test
    void theFeeIsRoundedDownAndGoesToThePoolWithNothingElse() {
        PayoutPlan p = Pplns.builder(POOL).feePercent(new BigDecimal("1.5")).build()
                .plan(REWARD + 7, credits(P2PKH, "0.25", P2WSH, "0.75"), Map.of());
        long fee = (REWARD + 7) * 15 / 1000; // 4,687,500.105 → 4,687,500
        assertThat(p.fee()).isEqualTo(fee);
        long rest = REWARD + 7 - fee;
        // rest × 3/4 = 230,859,380.25 and rest × 1/4 = 76,953,126.75: the satoshi left goes to the larger remainder.
        assertThat(p.outputs()).containsExactly(CoinbaseOutput.to(P2WSH, 230_859_380), CoinbaseOutput.to(P2PKH, 76_953_127),
                CoinbaseOutput.to(POOL, fee));
        assertThat(230_859_380 + 76_953_127 + fee).isEqualTo(REWARD + 7);
        assertBalanced(p);
    }

    @Test
    void dustIsCarriedAndPaidWithALaterBlockOutOfThePoolsPart() {
        Pplns pplns = Pplns.builder(POOL).minPayout(10_000).build();
        // 1e-5 of the window: 3,125 sat, below the minimum.
        PayoutPlan first = pplns.plan(REWARD, credits(P2TR, "99999", P2PKH, "1"), Map.of());
        PayoutPlan.Payee small = first.payees().stream().filter(x -> x.address().equals(P2PKH)).findFirst().orElseThrow();
        assertThat(small.earned()).isEqualTo(3_125);
        assertThat(small.paid()).isZero();
        assertThat(small.carriedOut()).isEqualTo(3_125);
        assertThat(first.outputs()).containsExactly(CoinbaseOutput.to(P2TR, REWARD - 3_125), CoinbaseOutput.to(POOL, 3_125));
        assertBalanced(first);

        // Three blocks later the balance and this block's earnings pass the minimum: paid in full. The old balance comes out
        // of the pool's part (its fee), since the pool's address holds it from the earlier blocks.
        Pplns withFee = Pplns.builder(POOL).minPayout(10_000).feePercent(BigDecimal.ONE).build();
        PayoutPlan later = withFee.plan(REWARD, credits(P2TR, "99999", P2PKH, "1"), Map.of(P2PKH, 3 * 3_125L));
        long fee = REWARD / 100;
        long small3 = (REWARD - fee) / 100_000 + 1; // 3,093.75: its remainder is the larger, so it gets the satoshi left
        assertThat(later.outputs()).containsExactly(CoinbaseOutput.to(P2TR, REWARD - fee - small3),
                CoinbaseOutput.to(P2PKH, small3 + 9_375), CoinbaseOutput.to(POOL, fee - 9_375));
        assertThat(later.balancesBefore() - later.balancesAfter()).isEqualTo(9_375);
        assertBalanced(later);
        // Without a fee the pool's part cannot pay the old balance: the other paid payee lends it from its earnings, and it
        // is carried for him instead. Paid at once all the same.
        PayoutPlan noFee = pplns.plan(REWARD, credits(P2TR, "99999", P2PKH, "1"), Map.of(P2PKH, 3 * 3_125L));
        assertThat(noFee.outputs()).containsExactly(CoinbaseOutput.to(P2TR, REWARD - 3_125 - 9_375), CoinbaseOutput.to(P2PKH, 12_500));
        assertThat(noFee.payees().get(0)).isEqualTo(new PayoutPlan.Payee(P2TR, new BigDecimal("99999"), REWARD - 3_125, 0,
                REWARD - 3_125 - 9_375, 9_375));
        assertThat(noFee.poolOutput()).isZero();
        assertBalanced(noFee);
    }

    @Test
    void theOutputCapAndByteBudgetCarryTheSmallestAndTheCoinbaseStaysSmall() {
        Map<Address, BigDecimal> many = credits(P2PKH, "5", P2SH, "4", P2WPKH, "3", P2WSH, "2", P2TR, "1");
        PayoutPlan capped = Pplns.builder(POOL).maxOutputs(2).build().plan(REWARD, many, Map.of());
        assertThat(capped.outputs()).extracting(o -> o.scriptPubKey().length).hasSize(3);
        assertThat(capped.payees()).extracting(PayoutPlan.Payee::address).startsWith(P2PKH, P2SH);
        assertThat(capped.balancesAfter()).isEqualTo(REWARD * 6 / 15);
        assertBalanced(capped);

        // A thousand taproot miners, defaults: the payee outputs fit the 3,000-byte budget, 50 at most.
        Map<Address, BigDecimal> thousand = new HashMap<>();
        SplittableRandom r = new SplittableRandom(16);
        for (int i = 0; i < 1000; i++) {
            byte[] key = new byte[32];
            r.nextBytes(key);
            thousand.put(taproot(key), BigDecimal.valueOf(1 + r.nextInt(1000)));
        }
        PayoutPlan big = Pplns.builder(POOL).minPayout(0).build().plan(REWARD, thousand, Map.of());
        int bytes = big.outputs().stream().mapToInt(o -> 9 + o.scriptPubKey().length).sum();
        assertThat(big.outputs()).hasSize(51);
        assertThat(bytes).isLessThanOrEqualTo(3_000 + 9 + 22);
        assertBalanced(big);
        // The byte budget binds before the count when it is smaller.
        PayoutPlan tight = Pplns.builder(POOL).minPayout(0).maxOutputBytes(430).build().plan(REWARD, thousand, Map.of());
        assertThat(tight.outputs()).hasSize(10 + 1); // 10 × 43 bytes, and the pool's
        assertBalanced(tight);
    }

    @Test
    void whateverTheOutputCapTheCoinbaseAMinerBuildsStaysUnderFourKibibytes() {
        Map<Address, BigDecimal> thousand = new HashMap<>();
        SplittableRandom r = new SplittableRandom(4096);
        for (int i = 0; i < 1000; i++) {
            byte[] key = new byte[32];
            r.nextBytes(key);
            thousand.put(taproot(key), BigDecimal.ONE);
        }
        PayoutPlan plan = Pplns.builder(P2WSH).minPayout(0).maxOutputs(1000).feePercent(BigDecimal.ONE).build()
                .plan(REWARD, thousand, Map.of());
        org.stratum4j.core.job.BlockTemplate template = org.stratum4j.core.job.BlockTemplate.builder()
                .previousBlockHash(org.stratum4j.core.bitcoin.Sha256Hash.ZERO).bits(org.stratum4j.core.bitcoin.CompactBits.of(0x1703a30c))
                .height(900_000).curTime(1_750_000_000L).coinbaseValue(REWARD)
                .witnessCommitment(org.stratum4j.core.bitcoin.WitnessCommitment.fromWtxids(List.of())).build();
        // The largest extranonces a pool may choose, a pool tag, and the witness commitment.
        org.stratum4j.core.job.Coinbase coinbase = org.stratum4j.core.job.CoinbaseBuilder.defaults().withPoolTag("/stratum4j/")
                .withExtranonceSizes(16, 16).build(template, plan.outputs());
        assertThat(plan.outputs()).hasSize(69 + 1); // 69 × 43 bytes within the 3,000-byte budget, and the pool's output
        // Segwit marker and flag, one witness item of 32 bytes with its count and length.
        assertThat(coinbase.size() + 2 + 1 + 1 + 32).as("with the witness").isLessThan(4096);
        assertThat(coinbase.outputValue()).isEqualTo(REWARD);
    }

    /** A taproot address (witness version 1) for a 32-byte key. */
    static Address taproot(byte[] key) {
        byte[] five = org.stratum4j.core.bitcoin.Bech32.convertBits(key, 0, 32, 8, 5, true);
        byte[] data = new byte[five.length + 1];
        data[0] = 1;
        System.arraycopy(five, 0, data, 1, five.length);
        return Address.parse(org.stratum4j.core.bitcoin.Bech32.encode("bc", data, org.stratum4j.core.bitcoin.Bech32.Variant.BECH32M),
                Network.MAIN);
    }

    @Test
    void withNoSharesEverythingGoesToThePoolButDueBalancesAreStillPaid() {
        Pplns pplns = Pplns.builder(POOL).build();
        PayoutPlan empty = pplns.plan(REWARD, Map.of(), Map.of());
        assertThat(empty.outputs()).containsExactly(CoinbaseOutput.to(POOL, REWARD));
        assertBalanced(empty);
        PayoutPlan owed = pplns.plan(REWARD, Map.of(), Map.of(P2TR, 50_000L, P2PKH, 9_999L));
        assertThat(owed.outputs()).containsExactly(CoinbaseOutput.to(P2TR, 50_000), CoinbaseOutput.to(POOL, REWARD - 50_000));
        assertBalanced(owed);
    }

    @Test
    void oneMinerTakesEverythingBeyondTheFee() {
        PayoutPlan p = Pplns.builder(POOL).feePercent(BigDecimal.ONE).build().plan(REWARD, credits(P2SH, "0.001"), Map.of());
        assertThat(p.outputs()).containsExactly(CoinbaseOutput.to(P2SH, REWARD - REWARD / 100), CoinbaseOutput.to(POOL, REWARD / 100));
        assertBalanced(p);
    }

    @Test
    void balancesBeyondWhatTheCoinbaseHoldsWaitAndTheRestIsLentByThePaidPayees() {
        // A small coinbase (fees only, late in the subsidy's life): 80,000 of old balances fit in it, 140,000 do not.
        PayoutPlan p = Pplns.builder(POOL).build().plan(100_000, credits(P2TR, "1"), Map.of(P2PKH, 80_000L, P2SH, 60_000L));
        assertThat(p.outputs()).containsExactly(CoinbaseOutput.to(P2TR, 20_000), CoinbaseOutput.to(P2PKH, 80_000));
        assertThat(p.payees()).extracting(PayoutPlan.Payee::carriedOut).containsExactly(80_000L, 0L, 60_000L);
        assertBalanced(p);
    }

    @Test
    void theWindowTakesTheNewestSharesUpToItsSizeCountingTheLastOneInPart() {
        List<Pplns.Share> newestFirst = List.of(new Pplns.Share(P2TR, new BigDecimal("4")), new Pplns.Share(P2PKH, new BigDecimal("3")),
                new Pplns.Share(P2TR, new BigDecimal("5")), new Pplns.Share(P2SH, new BigDecimal("100")));
        assertThat(Pplns.window(newestFirst.iterator(), new BigDecimal("10")))
                .containsOnly(Map.entry(P2TR, new BigDecimal("7")), Map.entry(P2PKH, new BigDecimal("3")));
        // Fewer shares than the window's size: all of them count.
        assertThat(Pplns.window(newestFirst.iterator(), new BigDecimal("1000")).values().stream().reduce(BigDecimal::add))
                .contains(new BigDecimal("112"));
        assertThatThrownBy(() -> Pplns.window(newestFirst.iterator(), BigDecimal.ZERO)).hasMessageContaining("must be positive");
    }

    @Test
    void everyProcessMakesTheSameOutputsWhateverOrderItReadTheWindowIn() {
        SplittableRandom r = new SplittableRandom(7);
        Address[] kinds = {P2PKH, P2SH, P2WPKH, P2WSH, P2TR};
        for (int round = 0; round < 2_000; round++) {
            List<Map.Entry<Address, BigDecimal>> entries = new ArrayList<>();
            Map<Address, Long> carried = new HashMap<>();
            for (Address a : kinds) {
                if (r.nextBoolean()) {
                    entries.add(Map.entry(a, BigDecimal.valueOf(r.nextLong(1, 1_000_000), r.nextInt(9))));
                }
                if (r.nextInt(3) == 0) {
                    carried.put(a, r.nextLong(0, 30_000));
                }
            }
            Pplns pplns = Pplns.builder(POOL).feePercent(BigDecimal.valueOf(r.nextInt(0, 500), 2)).minPayout(r.nextLong(0, 50_000))
                    .maxOutputs(r.nextInt(0, 6)).build();
            long value = r.nextLong(0, 5_000_000_000L);
            Map<Address, BigDecimal> forward = new LinkedHashMap<>();
            entries.forEach(e -> forward.put(e.getKey(), e.getValue()));
            Collections.reverse(entries);
            Map<Address, BigDecimal> backward = new LinkedHashMap<>();
            entries.forEach(e -> backward.put(e.getKey(), e.getValue()));
            PayoutPlan a = pplns.plan(value, forward, carried);
            PayoutPlan b = pplns.plan(value, backward, new HashMap<>(carried));
            assertThat(a.outputs()).isEqualTo(b.outputs());
            assertThat(a.payees()).isEqualTo(b.payees());
            assertBalanced(a);
            // Earnings follow the credits to within one satoshi.
            BigDecimal sum = forward.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            for (PayoutPlan.Payee p : a.payees()) {
                if (sum.signum() > 0) {
                    double exact = (double) (value - a.fee()) * p.credit().doubleValue() / sum.doubleValue();
                    assertThat((double) p.earned()).isBetween(exact - 1.0001, exact + 1.0001);
                }
            }
        }
    }

    @Test
    void settingsOutsideTheirRangesAreRefusedWithTheRange() {
        assertThatThrownBy(() -> Pplns.builder(POOL).feePercent(new BigDecimal("100.5"))).hasMessage("pool fee 100.5% is outside 0..100%");
        assertThatThrownBy(() -> Pplns.builder(POOL).minPayout(-1)).hasMessageContaining("outside 0..");
        assertThatThrownBy(() -> Pplns.builder(POOL).maxOutputs(1001)).hasMessageContaining("outside 0..1000");
        assertThatThrownBy(() -> Pplns.builder(POOL).build().plan(REWARD, credits(P2TR, "-1"), Map.of())).hasMessageContaining("negative");
    }
}
