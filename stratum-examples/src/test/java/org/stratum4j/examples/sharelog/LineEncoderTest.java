package org.stratum4j.examples.sharelog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.share.RejectReason;

/** The journal's line encoder writes what Jackson's generator wrote, and what it writes reads back. */
class LineEncoderTest {

    /** The encoder the journal used before: Jackson's generator and {@code String.format}. */
    static String jackson(ShareEvent e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("time", e.time().toString());
            g.writeStringField("worker", e.worker());
            g.writeStringField("job", e.jobId());
            g.writeStringField("extranonce1", e.extranonce1());
            g.writeStringField("extranonce2", e.extranonce2());
            g.writeStringField("ntime", String.format("%08x", e.ntime()));
            g.writeStringField("nonce", String.format("%08x", e.nonce()));
            g.writeStringField("version", String.format("%08x", e.version()));
            g.writeStringField("difficulty", e.difficulty().toString());
            g.writeStringField("hash", e.hash() == null ? null : e.hash().toDisplayHex());
            g.writeBooleanField("block", e.block());
            if (e.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
                g.writeStringField("remote", a.getAddress().getHostAddress());
            }
            if (!e.accepted()) {
                g.writeStringField("reject", e.rejectReason().name().toLowerCase(Locale.ROOT));
            }
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }

    static ShareEvent event(SplittableRandom r, String worker, String job) {
        byte[] h = new byte[32];
        for (int k = 0; k < 28; k++) {
            h[k] = (byte) r.nextInt();
        }
        RejectReason[] reasons = RejectReason.values();
        RejectReason reject = r.nextInt(3) == 0 ? reasons[r.nextInt(reasons.length)] : null;
        return new ShareEvent(Instant.ofEpochSecond(1_700_000_000L + r.nextInt(100_000_000), r.nextInt(1_000_000_000)),
                r.nextInt(1000), r.nextBoolean() ? new InetSocketAddress("2001:db8::" + r.nextInt(65536), 3333)
                : new InetSocketAddress("192.0.2." + r.nextInt(256), 3333), worker, job, job, String.format("%08x", r.nextInt()),
                String.format("%016x", r.nextLong()), r.nextInt(), r.nextInt(), r.nextInt(), Difficulty.of(r.nextInt(1, 1 << 20)),
                reject == null || r.nextBoolean() ? Sha256Hash.fromInternalBytes(h) : null, 1.0, reject, r.nextInt(10) == 0);
    }

    static boolean jacksonWritesAlike(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && !Character.isSurrogate((char) c));
    }

    @Test
    void theLineIsByteForByteWhatJacksonWrote() throws Exception {
        SplittableRandom r = new SplittableRandom(22);
        String[] names = {"bc1qminer.rig1", "zoë.rig", "a\"b\\c", "tab\there", "nl\nand\u0001and\u001f", "🙂 miner", "", "x/y:z"};
        for (int i = 0; i < 5_000; i++) {
            ShareEvent e = event(r, names[r.nextInt(names.length)], names[r.nextInt(names.length)] + i);
            String line = new String(LineEncoder.encode(e), StandardCharsets.UTF_8);
            // Jackson writes control characters as \n or \t and characters beyond the BMP as \\u surrogate pairs; the
            // encoder as \\u00XX and as UTF-8. Both are the same JSON, as the read-back below checks.
            if (jacksonWritesAlike(e.worker()) && jacksonWritesAlike(e.jobId())) {
                assertThat(line).isEqualTo(jackson(e));
            }
            LoggedShare back = ShareLog.parse(line.substring(0, line.length() - 1));
            assertThat(back).as(line).isNotNull();
            assertThat(back.worker()).isEqualTo(e.worker());
            assertThat(back.job()).isEqualTo(e.jobId());
            assertThat(back.nonce()).isEqualTo(String.format("%08x", e.nonce()));
            assertThat(back.hash()).isEqualTo(e.hash() == null ? null : e.hash().toDisplayHex());
            assertThat(back.reject()).isEqualTo(e.accepted() ? null : e.rejectReason().name().toLowerCase(Locale.ROOT));
            assertThat(back.block()).isEqualTo(e.block());
        }
    }
}
