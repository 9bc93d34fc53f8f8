package org.stratum4j.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.protocol.ClientCodec;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolMessage;

class NotifyScannerTest {

    static final String NOTIFY = "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"6619d76751cdb\",\"0e1af4671dae673e2bdf771c6b7436807f0a176d2effac3509a50fe4e28ba2c9\","
            + "\"02000000010000000000000000000000000000000000000000000000000000000000000000ffffffff18512f7374726174756d346a2f\","
            + "\"ffffffff02700c062a01000000160014788a0f074d803a5a275ebb626c4eeddb06779cf700000000\","
            + "[\"71f670b5e6f250887cfb58387bf22c1512fb6af2fc7f85a9c9b8b705dd656999\"],\"20000000\",\"1d13ffec\",\"6b0f8361\",true]}";

    static boolean scan(NotifyScanner s, String line) {
        byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
        return s.scan(b, 2, b.length - 4);
    }

    @Test
    void readsWhatTheFullDecoderReads() {
        NotifyScanner s = new NotifyScanner();
        assertThat(scan(s, NOTIFY)).isTrue();
        Notify n = (Notify) new ClientCodec().decode(NOTIFY);
        assertThat(s.jobId).isEqualTo(n.jobId()).isEqualTo("6619d76751cdb");
        assertThat(s.ntime).isEqualTo(n.ntime()).isEqualTo(0x6b0f8361);
        assertThat(s.clean).isTrue();
        assertThat(scan(s, NOTIFY.replace(",true]", " , false ]").replace("\"params\":", "\"params\" : "))).isTrue();
        assertThat(s.clean).isFalse();
    }

    @Test
    void leavesEverythingElseToTheFullDecoder() {
        NotifyScanner s = new NotifyScanner();
        assertThat(scan(s, "{\"id\":1,\"result\":[[[\"mining.set_difficulty\",\"1\"],[\"mining.notify\",\"1\"]],\"00000000\",8],\"error\":null}")).isFalse();
        assertThat(scan(s, "{\"id\":4,\"result\":true,\"error\":null}")).isFalse();
        assertThat(scan(s, NOTIFY.replace("\"6619d76751cdb\"", "\"66\\u0031\""))).isFalse();
        assertThat(scan(s, NOTIFY.replace(",true]", "]"))).isFalse();
        assertThat(scan(s, NOTIFY.replace(",true]", ",true,1]"))).isFalse();
        assertThat(scan(s, NOTIFY.replace("\"6b0f8361\"", "\"6b0f83\""))).isFalse();
        assertThat(scan(s, NOTIFY.replace(",true]", ",maybe]"))).isFalse();
    }

    @Test
    void truncatedOrMutatedLinesNeverThrowAndNeverDisagreeWithTheDecoder() {
        NotifyScanner s = new NotifyScanner();
        ClientCodec codec = new ClientCodec();
        SplittableRandom r = new SplittableRandom(3);
        byte[] base = NOTIFY.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = base.clone();
            int len = r.nextInt(b.length + 1);
            for (int k = r.nextInt(4); k > 0; k--) {
                b[r.nextInt(b.length)] = (byte) "[]{},\": tf0".charAt(r.nextInt(11));
            }
            if (s.scan(b, 0, len)) {
                PoolMessage m = codec.decode(b, 0, len);
                if (m instanceof Notify n) {
                    assertThat(s.jobId).isEqualTo(n.jobId());
                    assertThat(s.ntime).isEqualTo(n.ntime());
                    assertThat(s.clean).isEqualTo(n.cleanJobs());
                }
            }
        }
    }
}
