package org.stratum4j.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded, reproducible fuzzing of both codecs: mutations of every real line from the vectors, plus
 * generated garbage. Each input goes through both decoders; the test fails on any exception, a
 * null, an {@code INTERNAL} decode error, a message that does not survive encode → decode, or a
 * codec that does not decode a good line right after each input (no state may leak between lines).
 *
 * <p>Normal build: 200,000 inputs. Long run (see README, "Fuzzing"):
 * {@code ./mvnw -pl stratum-core test -Dtest=CodecFuzzTest -Dstratum4j.fuzz.inputs=10000000}; also
 * {@code -Dstratum4j.fuzz.seed=N} to explore another sequence.
 */
class CodecFuzzTest {

    private static final int INPUTS = Integer.getInteger("stratum4j.fuzz.inputs", 200_000);
    private static final long SEED = Long.getLong("stratum4j.fuzz.seed", 20261125L);

    private static final String[] TOKENS = {"null", "true", "false", "0", "-0", "1e999999", "-1.5e-7", "NaN", "Infinity", "\"",
        "\\", "\\u0000", "\\ud800", "\\uDFFF", "[", "]", "{", "}", ",", ":", "[[[[[[[[[[[[[[[[[[[[", "]]]]]]]]]]", "\"id\":",
        "\"method\":", "\"params\":", "\"mining.submit\"", "\"mining.notify\"", "\"mining.configure\"", "\"result\":",
        "\"error\":", "99999999999999999999999999999999999999999999999999999999999999999999999", "\r", "\n", "\t", " ",
        "\"ffffffff\"", "\"0\"", "\"zz\"", "\"\"", "[]", "{}", "/*", "'", "\u00e9", "\u0000"};
    private static final byte[] INTERESTING = {0, '{', '}', '[', ']', '"', ',', ':', '\\', '0', '9', '-', 'e', '.', ' ', '\n',
        '\r', (byte) 0x7f, (byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc2, (byte) 0xe0, (byte) 0xed, (byte) 0xf0,
        (byte) 0xf4, (byte) 0xf5, (byte) 0xff};

    private final PoolCodec pool = new PoolCodec();
    private final ClientCodec client = new ClientCodec();
    private final PoolCodec referencePool = new PoolCodec();
    private final ClientCodec referenceClient = new ClientCodec();

    @Test
    void neitherCodecThrowsOrLosesItsWayOnMutatedAndRandomInput() {
        List<byte[]> seeds = new ArrayList<>();
        for (String[] l : SessionVectorsTest.realLines()) {
            seeds.add(l[1].getBytes(StandardCharsets.UTF_8));
        }
        Random random = new Random(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<DecodeError.Kind, Integer> errors = new EnumMap<>(DecodeError.Kind.class);
        byte[] good = "{\"id\":1,\"method\":\"mining.submit\",\"params\":[\"w\",\"j\",\"00\",\"00000000\",\"00000000\"]}".getBytes(StandardCharsets.UTF_8);
        MinerMessage goodDecoded = referencePool.decode(good, 0, good.length);
        byte[] goodNotify = ("{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"j\",\"" + "00".repeat(32) + "\",\"01\",\"02\",[],"
                + "\"20000000\",\"1d00ffff\",\"00000001\",true]}").getBytes(StandardCharsets.UTF_8);
        PoolMessage goodNotifyDecoded = referenceClient.decode(goodNotify, 0, goodNotify.length);
        assertThat(goodNotifyDecoded).isInstanceOf(Notify.class);
        long started = System.nanoTime();

        for (int n = 0; n < INPUTS; n++) {
            byte[] input = random.nextInt(10) == 0 ? garbage(random) : mutate(seeds.get(random.nextInt(seeds.size())), seeds, random);
            MinerMessage m;
            PoolMessage p;
            try {
                m = pool.decode(input, 0, input.length);
                p = client.decode(input, 0, input.length);
            } catch (Throwable t) {
                throw new AssertionError("input #" + n + " (seed " + SEED + ") threw: " + printable(input), t);
            }
            assertThat(m).as("pool decode of #%d", n).isNotNull();
            assertThat(p).as("client decode of #%d", n).isNotNull();
            tally(m, outcomes, errors, "pool:");
            tally(p, outcomes, errors, "client:");
            checkRoundTrip(m, input, n);
            checkRoundTrip(p, input, n);
            // After every input, both codecs must read the next line from a clean state.
            assertThat(pool.decode(good, 0, good.length)).as("pool codec recovers after #%d: %s", n, printable(input))
                    .isEqualTo(goodDecoded);
            assertThat(client.decode(goodNotify, 0, goodNotify.length)).as("client codec recovers after #%d: %s", n, printable(input))
                    .isEqualTo(goodNotifyDecoded);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("CodecFuzzTest: %,d inputs x 2 codecs in %.1f s (seed %d), no exception; outcomes %s; decode errors %s%n",
                INPUTS, seconds, SEED, outcomes, errors);
        assertThat(errors).doesNotContainKey(DecodeError.Kind.INTERNAL);
        // The mutations must reach the interesting paths, or the test proves little.
        assertThat(outcomes.getOrDefault("pool:Submit", 0)).isGreaterThan(INPUTS / 100);
        assertThat(outcomes.getOrDefault("client:Notify", 0)).isGreaterThan(INPUTS / 1000);
        assertThat(errors.keySet()).contains(DecodeError.Kind.NOT_JSON, DecodeError.Kind.INVALID_UTF8, DecodeError.Kind.TRAILING_DATA,
                DecodeError.Kind.DUPLICATE_KEY, DecodeError.Kind.LIMIT_EXCEEDED, DecodeError.Kind.INVALID_PARAMS);
    }

    private void checkRoundTrip(MinerMessage m, byte[] input, int n) {
        if (m instanceof DecodeError || (m instanceof Submit && !((Submit) m).isWellFormed())) {
            return;
        }
        byte[] encoded = referenceClient.encode(m);
        MinerMessage again = referencePool.decode(encoded, 0, encoded.length - 1);
        assertThat(again).as("round trip of #%d %s from %s", n, printable(m.toString()), printable(input)).isEqualTo(m);
    }

    private void checkRoundTrip(PoolMessage p, byte[] input, int n) {
        if (p instanceof DecodeError) {
            return;
        }
        byte[] encoded = referencePool.encode(p);
        PoolMessage again = referenceClient.decode(encoded, 0, encoded.length - 1);
        assertThat(again).as("round trip of #%d %s from %s", n, printable(p.toString()), printable(input)).isEqualTo(p);
    }

    private static void tally(Object m, Map<String, Integer> outcomes, Map<DecodeError.Kind, Integer> errors, String side) {
        outcomes.merge(side + m.getClass().getSimpleName(), 1, Integer::sum);
        if (m instanceof DecodeError) {
            errors.merge(((DecodeError) m).kind(), 1, Integer::sum);
        }
    }

    private static byte[] garbage(Random r) {
        byte[] b = new byte[r.nextInt(300)];
        if (r.nextBoolean()) {
            r.nextBytes(b);
        } else {
            String alphabet = "{}[]\":,0123456789abcdefABCDEF-+.eE tnrufals\\";
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            }
        }
        return b;
    }

    private static byte[] mutate(byte[] seed, List<byte[]> seeds, Random r) {
        byte[] b = seed;
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds; k++) {
            int len = b.length;
            int pos = len == 0 ? 0 : r.nextInt(len);
            switch (r.nextInt(9)) {
                case 0: // flip a bit
                    if (len > 0) {
                        b = b.clone();
                        b[pos] ^= (byte) (1 << r.nextInt(8));
                    }
                    break;
                case 1: // an interesting byte
                    if (len > 0) {
                        b = b.clone();
                        b[pos] = INTERESTING[r.nextInt(INTERESTING.length)];
                    }
                    break;
                case 2: // delete a range
                    if (len > 0) {
                        int n = 1 + r.nextInt(Math.min(16, len - pos));
                        b = concat(Arrays.copyOfRange(b, 0, pos), Arrays.copyOfRange(b, pos + n, len));
                    }
                    break;
                case 3: // duplicate a range
                    if (len > 0) {
                        int n = 1 + r.nextInt(Math.min(32, len - pos));
                        b = concat(Arrays.copyOfRange(b, 0, pos + n), Arrays.copyOfRange(b, pos, len));
                    }
                    break;
                case 4: // insert a token
                    b = concat(concat(Arrays.copyOfRange(b, 0, pos), TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8)),
                            Arrays.copyOfRange(b, pos, len));
                    break;
                case 5: // truncate
                    b = Arrays.copyOf(b, pos);
                    break;
                case 6: // splice with another seed
                    byte[] other = seeds.get(r.nextInt(seeds.size()));
                    b = concat(Arrays.copyOf(b, pos), Arrays.copyOfRange(other, other.length == 0 ? 0 : r.nextInt(other.length), other.length));
                    break;
                case 7: // replace a hex digit run's case / a digit
                    if (len > 0) {
                        b = b.clone();
                        byte c = b[pos];
                        b[pos] = (byte) (Character.isLetter(c) ? c ^ 0x20 : Character.isDigit(c) ? '0' + r.nextInt(10) : c);
                    }
                    break;
                default: // swap a quoted value for a number, or drop the closing brace
                    if (len > 2 && b[len - 1] == '}') {
                        b = Arrays.copyOf(b, len - 1);
                    } else {
                        b = concat(b, TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                    }
                    break;
            }
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String printable(String s) {
        return printable(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return sb.toString();
    }
}
