package org.stratum4j.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Hex;

/** PROXY protocol v1 and v2 headers, as HAProxy's specification writes them, and malformed ones. */
class ProxyHeaderTest {

    private static ProxyHeader.Result parse(byte[] b) {
        return ProxyHeader.parse(b, b.length);
    }

    private static ProxyHeader.Result parse(String s) {
        return parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void v1() {
        ProxyHeader.Result r = parse("PROXY TCP4 203.0.113.7 192.0.2.1 40000 3333\r\n{\"id\":1}");
        assertThat(r.complete()).isTrue();
        assertThat(r.consumed()).isEqualTo("PROXY TCP4 203.0.113.7 192.0.2.1 40000 3333\r\n".length());
        assertThat(r.source()).isEqualTo(new InetSocketAddress("203.0.113.7", 40000));
        assertThat(parse("PROXY TCP6 2001:db8::1 2001:db8::2 1 3333\r\n").source())
                .isEqualTo(new InetSocketAddress("2001:db8::1", 1));
        ProxyHeader.Result unknown = parse("PROXY UNKNOWN\r\n");
        assertThat(unknown.complete()).isTrue();
        assertThat(unknown.source()).isNull();
        assertThat(parse("PROXY TCP4 203.0.113.7 192.0.2.1 40000").complete()).isFalse();
        assertThat(parse("PROXY TCP4 203.0.113.7 192.0.2.1 40000").error()).isNull();
        assertThat(parse("PROX").error()).isNull();
    }

    @Test
    void v1Malformed() {
        for (String bad : new String[] {
            "PROXY TCP4 203.0.113.7 192.0.2.1 40000\r\n",
            "PROXY TCP4 203.0.113.700 192.0.2.1 40000 3333\r\n",
            "PROXY TCP4 example.com 192.0.2.1 40000 3333\r\n",
            "PROXY TCP4 203.0.113.7 192.0.2.1 70000 3333\r\n",
            "PROXY TCP6 203.0.113.7 192.0.2.1 1 2\r\n",
            "PROXY UDP4 203.0.113.7 192.0.2.1 1 2\r\n",
            "PROXY TCP4 203.0.113.7 192.0.2.1 " + "1".repeat(100) + "\r\n",
            "GET / HTTP/1.1\r\n",
            "{\"id\":1,\"method\":\"mining.subscribe\"}\n"}) {
            assertThat(parse(bad).error()).as(bad).isNotNull();
        }
    }

    private static final String SIG = "0d0a0d0a000d0a515549540a";

    @Test
    void v2() {
        ProxyHeader.Result r = parse(Hex.decode(SIG + "21" + "11" + "000c" + "cb007107" + "c0000201" + "9c40" + "0d05" + "7b7d"));
        assertThat(r.complete()).isTrue();
        assertThat(r.consumed()).isEqualTo(28);
        assertThat(r.source()).isEqualTo(new InetSocketAddress("203.0.113.7", 40000));
        ProxyHeader.Result v6 = parse(Hex.decode(SIG + "21" + "21" + "0024" + "20010db8000000000000000000000001"
                + "20010db8000000000000000000000002" + "0001" + "0d05"));
        assertThat(v6.source()).isEqualTo(new InetSocketAddress("2001:db8::1", 1));
        ProxyHeader.Result local = parse(Hex.decode(SIG + "20" + "00" + "0000"));
        assertThat(local.complete()).isTrue();
        assertThat(local.source()).isNull();
        // With TLVs after the addresses: skipped.
        assertThat(parse(Hex.decode(SIG + "21" + "11" + "0010" + "cb007107" + "c0000201" + "9c40" + "0d05" + "04000100")).consumed())
                .isEqualTo(32);
        assertThat(parse(Hex.decode(SIG + "21" + "11")).complete()).isFalse();
        assertThat(parse(Hex.decode(SIG + "21" + "11" + "000c" + "cb00")).error()).isNull();
    }

    @Test
    void v2Malformed() {
        assertThat(parse(Hex.decode(SIG + "31" + "11" + "000c" + "cb007107c00002019c400d05")).error()).contains("version");
        assertThat(parse(Hex.decode(SIG + "22" + "11" + "000c" + "cb007107c00002019c400d05")).error()).contains("command");
        assertThat(parse(Hex.decode(SIG + "21" + "11" + "0004" + "cb007107")).error()).contains("too short");
        assertThat(parse(Hex.decode(SIG + "21" + "31" + "0000")).error()).contains("family");
        assertThat(parse(Hex.decode(SIG + "21" + "11" + "ffff")).error()).contains("longer than");
    }

    @Test
    void randomBytesNeverThrow() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] sig = Hex.decode(SIG);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) random.nextInt(256);
            }
            if (i % 2 == 0 && b.length >= 12) {
                System.arraycopy(sig, 0, b, 0, 12);
            } else if (i % 3 == 0 && b.length >= 6) {
                System.arraycopy("PROXY ".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 6);
            }
            ProxyHeader.Result r = parse(b);
            assertThat(r.complete() && r.error() != null).isFalse();
        }
    }
}
