package org.stratum4j.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Transaction;

/**
 * Mutated templates and transactions never escape as anything but {@link IllegalArgumentException}:
 * a node (or something pretending to be one) cannot crash the template poller. Seeded, so a
 * failure reproduces; the coverage-guided version belongs to the reliability work.
 */
class TemplateParserFuzzTest {

    private static final int INPUTS = Integer.getInteger("stratum4j.fuzz.templates", 20_000);

    @Test
    void mutatedTemplatesParseOrFailWithAMessage() {
        List<byte[]> seeds = GbtVectors.all().stream()
                .map(v -> GbtVectors.gbtJson(v).getBytes(StandardCharsets.UTF_8)).toList();
        SplittableRandom random = new SplittableRandom(20261125);
        int parsed = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                BlockTemplateParser.parse(input);
                parsed++;
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).as("input %d", i).isNotBlank();
            }
        }
        // Some mutations land in places the parser ignores or that stay valid (fees, unknown fields).
        assertThat(parsed).isPositive().isLessThan(INPUTS);
    }

    @Test
    void mutatedTransactionsParseOrFailWithAMessage() {
        List<byte[]> seeds = GbtVectors.template("public_pool_testnet_2442185").transactions().stream()
                .map(TemplateTransaction::data).toList();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = mutateBinary(seeds.get(random.nextInt(seeds.size())), random);
            try {
                Transaction.parse(input);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).as("input %s", Hex.encode(input)).isNotBlank();
            }
        }
    }

    private static byte[] mutate(byte[] seed, SplittableRandom r) {
        byte[] b = seed.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    b[r.nextInt(b.length)] = (byte) "{}[]\",:0123456789abcdefx-.eE \\".charAt(r.nextInt(30));
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 2 -> {
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(64));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                b = out;
            }
            case 3 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            default -> {
                // Swap a hex digit inside the data: transactions whose bytes no longer match their ids.
                int at = r.nextInt(b.length);
                if (Character.digit(b[at], 16) >= 0) {
                    b[at] = (byte) "0123456789abcdef".charAt(r.nextInt(16));
                }
            }
        }
        return b;
    }

    private static byte[] mutateBinary(byte[] seed, SplittableRandom r) {
        byte[] b = seed.clone();
        if (r.nextInt(4) == 0) {
            return Arrays.copyOf(b, r.nextInt(b.length));
        }
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? 0xff : r.nextInt(256));
        }
        return b;
    }
}
