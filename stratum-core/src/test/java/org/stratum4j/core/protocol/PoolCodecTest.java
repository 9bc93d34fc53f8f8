package org.stratum4j.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;

/** What real miners send, what hostile peers send, and what the pool writes back. */
class PoolCodecTest {

    private final PoolCodec pool = new PoolCodec();
    private final ClientCodec client = new ClientCodec();

    private static String line(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ ids

    @Test
    void idsAreEchoedVerbatim() {
        assertThat(idOf("{\"id\":4,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}")).isEqualTo("4");
        assertThat(idOf("{\"id\":18446744073709551616123,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}"))
                .isEqualTo("18446744073709551616123");
        assertThat(idOf("{\"id\":-7,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}")).isEqualTo("-7");
        assertThat(idOf("{\"id\":1.50,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}")).isEqualTo("1.50");
        assertThat(idOf("{\"id\":\"a\\\"b\\u00e9\",\"method\":\"mining.extranonce.subscribe\",\"params\":[]}")).isEqualTo("\"a\\\"bé\"");
        assertThat(idOf("{\"id\":null,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}")).isEqualTo("null");
        assertThat(idOf("{\"method\":\"mining.extranonce.subscribe\",\"params\":[]}")).isEqualTo("null");
    }

    /** The id as it appears in the encoded answer. */
    private String idOf(String request) {
        MinerMessage m = pool.decode(request);
        String answer = line(pool.encode(Response.ok(m.id())));
        return answer.substring("{\"id\":".length(), answer.indexOf(",\"result\""));
    }

    // ------------------------------------------------------------------ real-miner quirks

    @Test
    void submitAcceptsUpperCaseHexShortNoncesCrLfAndAZeroSixthParam() {
        Submit s = (Submit) pool.decode("{\"id\":9,\"method\":\"mining.submit\",\"params\":[\"w.1\",\"JOB\",\"00AB\",\"64B3F3EC\",\"d91\",\"00000000\"]}\r");
        assertThat(s.isWellFormed()).isTrue();
        assertThat(Hex.encode(s.extranonce2())).isEqualTo("00ab");
        assertThat(s.ntime()).isEqualTo(0x64b3f3ec);
        assertThat(s.nonce()).isEqualTo(0x00000d91);
        assertThat(s.hasVersionBits()).isTrue();
        assertThat(s.versionBits()).isZero();
        assertThat(s.jobId()).isEqualTo("JOB");
    }

    @Test
    void submitWithMalformedParamsKeepsTheWorkerForTheEngine() {
        Submit s = (Submit) pool.decode("{\"id\":1,\"method\":\"mining.submit\",\"params\":[\"w\",\"j\",\"abc\",\"00000000\",\"00000000\"]}");
        assertThat(s.isWellFormed()).isFalse();
        assertThat(s.worker()).isEqualTo("w");
        assertThat(s.paramsError()).contains("extranonce2");
        assertThat(((Submit) pool.decode("{\"id\":1,\"method\":\"mining.submit\",\"params\":[\"w\",\"j\",\"00\",\"0\",\"123456789\"]}")).paramsError())
                .contains("nonce");
        assertThat(((Submit) pool.decode("{\"id\":1,\"method\":\"mining.submit\",\"params\":[\"w\",\"j\",\"00\",\"00\"]}")).paramsError())
                .contains("5 or 6 params, got 4");
        assertThat(((Submit) pool.decode("{\"id\":1,\"method\":\"mining.submit\",\"params\":[7]}")).worker()).isNull();
        assertThat(((Submit) pool.decode("{\"id\":1,\"method\":\"mining.submit\",\"params\":{}}")).paramsError()).contains("array");
    }

    @Test
    void subscribeTakesZeroToFourParams() {
        assertThat(pool.decode("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}")).isEqualTo(new Subscribe(RequestId.of(1), null, null));
        assertThat(pool.decode("{\"id\":1,\"method\":\"mining.subscribe\"}")).isEqualTo(new Subscribe(RequestId.of(1), null, null));
        assertThat(pool.decode("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"cgminer/4.10\"]}"))
                .isEqualTo(new Subscribe(RequestId.of(1), "cgminer/4.10", null));
        assertThat(pool.decode("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"bmminer\",\"deadbeef\",\"pool.example\",3333]}"))
                .isEqualTo(new Subscribe(RequestId.of(1), "bmminer", "deadbeef"));
        assertThat(pool.decode("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[null,null]}")).isEqualTo(new Subscribe(RequestId.of(1), null, null));
    }

    @Test
    void suggestDifficultyTakesNumbersAndNumericStrings() {
        assertThat(((SuggestDifficulty) pool.decode("{\"id\":1,\"method\":\"mining.suggest_difficulty\",\"params\":[0.5]}")).difficulty())
                .isEqualTo(Difficulty.of("0.5"));
        assertThat(((SuggestDifficulty) pool.decode("{\"id\":1,\"method\":\"mining.suggest_difficulty\",\"params\":[\"1024\"]}")).difficulty())
                .isEqualTo(Difficulty.of(1024));
        assertThat(pool.decode("{\"id\":1,\"method\":\"mining.suggest_difficulty\",\"params\":[-1]}"))
                .isInstanceOfSatisfying(DecodeError.class, e -> assertThat(e.kind()).isEqualTo(DecodeError.Kind.INVALID_PARAMS));
    }

    @Test
    void configureReadsEveryBip310Parameter() {
        Configure c = (Configure) pool.decode("{\"id\":2,\"method\":\"mining.configure\",\"params\":[[\"version-rolling\",\"minimum-difficulty\",\"subscribe-extranonce\",\"x-future\"],"
                + "{\"version-rolling.mask\":\"1fffe000\",\"version-rolling.min-bit-count\":2,\"minimum-difficulty.value\":2048,\"x-future.value\":[1,{\"a\":2}]}]}");
        assertThat(c.extensions()).containsExactly("version-rolling", "minimum-difficulty", "subscribe-extranonce", "x-future");
        assertThat(c.versionRollingMask()).isEqualTo(0x1fffe000);
        assertThat(c.versionRollingMinBitCount()).isEqualTo(2);
        assertThat(c.minimumDifficulty()).isEqualTo(Difficulty.of(2048));
        assertThat(c.requests(Configure.SUBSCRIBE_EXTRANONCE)).isTrue();
    }

    @Test
    void keyOrderDoesNotMatter() {
        assertThat(pool.decode("{\"params\":[\"w\",\"p\"],\"method\":\"mining.authorize\",\"id\":3}"))
                .isEqualTo(new Authorize(RequestId.of(3), "w", "p"));
    }

    @Test
    void unknownAndRareMethodsAreTyped() {
        assertThat(pool.decode("{\"id\":7,\"method\":\"mining.suggest_target\",\"params\":[\"00ff\"]}"))
                .isEqualTo(new UnknownMethod(RequestId.of(7), "mining.suggest_target"));
        assertThat(pool.decode("{\"id\":8,\"method\":\"mining.get_transactions\",\"params\":[\"j1\"]}"))
                .isEqualTo(new GetTransactions(RequestId.of(8), "j1"));
        assertThat(pool.decode("{\"id\":8,\"method\":\"mining.multi_version\",\"params\":[1]}"))
                .isEqualTo(new MultiVersion(RequestId.of(8), 1));
        assertThat(pool.decode("{\"id\":5,\"result\":\"cgminer/4.11.1\",\"error\":null}"))
                .isEqualTo(new Response(RequestId.of(5), new JsonValue.Str("cgminer/4.11.1"), null));
    }

    // ------------------------------------------------------------------ hostile input

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                 | hello                                                       | NOT_JSON
            truncated                | {"id":1,"method":"mining.subscribe","params":[             | NOT_JSON
            not an object            | [1,2,3]                                                     | NOT_AN_OBJECT
            a bare number            | 12345                                                       | NOT_AN_OBJECT
            a bare string            | "mining.subscribe"                                          | NOT_AN_OBJECT
            missing method           | {"id":1,"params":[]}                                        | INVALID_METHOD
            non-string method        | {"id":1,"method":5,"params":[]}                             | INVALID_METHOD
            params not an array      | {"id":1,"method":"mining.authorize","params":"w"}           | INVALID_PARAMS
            wrong param type         | {"id":1,"method":"mining.authorize","params":[5,"x"]}       | INVALID_PARAMS
            object id                | {"id":{"a":1},"method":"mining.subscribe","params":[]}      | INVALID_ID
            duplicate top-level key  | {"id":1,"id":2,"method":"mining.subscribe","params":[]}     | DUPLICATE_KEY
            duplicate unknown key    | {"x":1,"x":2,"id":1,"method":"mining.subscribe"}            | DUPLICATE_KEY
            duplicate nested key     | {"id":1,"method":"mining.configure","params":[[],{"a":1,"a":2}]} | DUPLICATE_KEY
            trailing garbage         | {"id":1,"method":"mining.subscribe","params":[]}x           | TRAILING_DATA
            two objects              | {"id":1,"method":"mining.subscribe"}{"id":2,"method":"mining.subscribe"} | TRAILING_DATA
            trailing number          | {"id":1,"method":"mining.subscribe"} 7                      | TRAILING_DATA
            unterminated string after| {"id":1,"method":"mining.subscribe"}"ab}                    | TRAILING_DATA
            trailing whitespace only | {"id":1,"method":"mining.subscribe","params":[]}   \t       | NONE
            NaN                      | {"id":NaN,"method":"mining.subscribe","params":[]}          | NOT_JSON
            Infinity                 | {"id":1,"method":"mining.suggest_difficulty","params":[Infinity]} | NOT_JSON
            huge number              | {"id":1,"method":"mining.suggest_difficulty","params":[1111111111111111111111111111111111111111111111111111111111111111111111111111111111]} | LIMIT_EXCEEDED
            deep nesting             | {"id":1,"method":"m","params":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]} | LIMIT_EXCEEDED
            comment                  | {"id":1,/*x*/"method":"mining.subscribe"}                   | NOT_JSON
            single quotes            | {'id':1,'method':'mining.subscribe'}                        | NOT_JSON
            control char in string   | {"id":1,"method":"mining.sub\tscribe"}                       | NOT_JSON
            whitespace only          | '   '                                                       | EMPTY_LINE
            """)
    void badInputIsATypedDecodeError(String what, String input, String expectedKind) {
        MinerMessage m = pool.decode(input.equals("'   '") ? "   " : input.replace("\\t", "\t"));
        if (expectedKind.equals("NONE")) {
            assertThat(m).as(what).isInstanceOf(Subscribe.class);
            assertThat(pool.decode("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}")).isInstanceOf(Subscribe.class);
            return;
        }
        DecodeError.Kind kind = DecodeError.Kind.valueOf(expectedKind);
        assertThat(m).as(what).isInstanceOfSatisfying(DecodeError.class, e -> {
            assertThat(e.kind()).as(what + ": " + e.message()).isEqualTo(kind);
            assertThat(e.message()).isNotBlank();
        });
        // The codec recovers: the next good line decodes.
        assertThat(pool.decode("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}")).isInstanceOf(Subscribe.class);
    }

    @Test
    void decodeErrorsCarryTheIdWhenItWasRead() {
        DecodeError e = (DecodeError) pool.decode("{\"id\":42,\"method\":\"mining.authorize\",\"params\":[1]}");
        assertThat(e.id()).isEqualTo(RequestId.of(42));
        assertThat(((DecodeError) pool.decode("{\"id\":\"abc\",\"method\":7}")).id()).isEqualTo(RequestId.ofString("abc"));
        assertThat(((DecodeError) pool.decode("{\"id\":43,\"method\":\"mining.subscribe\",\"params\":[}")).id()).isEqualTo(RequestId.of(43));
    }

    @Test
    void invalidUtf8EmptyAndOversizedLines() {
        byte[] bad = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"\u00e9\"]}".getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 5] = (byte) 0xff;
        assertThat(kind(pool.decode(bad, 0, bad.length))).isEqualTo(DecodeError.Kind.INVALID_UTF8);
        byte[] surrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};
        assertThat(kind(pool.decode(surrogate, 0, surrogate.length))).isEqualTo(DecodeError.Kind.INVALID_UTF8);
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'};
        assertThat(kind(pool.decode(overlong, 0, overlong.length))).isEqualTo(DecodeError.Kind.INVALID_UTF8);
        assertThat(kind(pool.decode(new byte[0], 0, 0))).isEqualTo(DecodeError.Kind.EMPTY_LINE);
        assertThat(kind(pool.decode("\r"))).isEqualTo(DecodeError.Kind.EMPTY_LINE);
        PoolCodec small = new PoolCodec(100);
        assertThat(kind(small.decode("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"" + "x".repeat(100) + "\"]}")))
                .isEqualTo(DecodeError.Kind.LINE_TOO_LONG);
        assertThat(((DecodeError) pool.decode(bad, 0, bad.length)).isGarbage()).isTrue();
    }

    /** Found by CodecFuzzTest: both used to break the encode → decode round trip. */
    @Test
    void fuzzFindingsStayFixed() {
        assertThat(kind(pool.decode("{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"w\\uDFFFx\",\"j\",\"00\",\"00\",\"00\"]}")))
                .isEqualTo(DecodeError.Kind.INVALID_UTF8);
        assertThat(kind(pool.decode("{\"id\":4,\"method\":\"m\",\"params\":[],\"\\uD800\":1}"))).isEqualTo(DecodeError.Kind.INVALID_UTF8);
        // A paired surrogate escape is fine.
        assertThat(((Authorize) pool.decode("{\"id\":4,\"method\":\"mining.authorize\",\"params\":[\"\\uD834\\uDD1E\"]}")).worker())
                .isEqualTo("\uD834\uDD1E");
        UnknownMethod odd = (UnknownMethod) pool.decode("{\"id\":4,\"method\":\"m\\ning\\\"x\"}");
        assertThat(odd.method()).isEqualTo("m\ning\"x");
        assertThat(pool.decode(line(client.encode(odd)).trim())).isEqualTo(odd);
    }

    private static DecodeError.Kind kind(MinerMessage m) {
        return ((DecodeError) m).kind();
    }

    @Test
    void decodingRespectsOffsetAndLength() {
        byte[] buf = "xx{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\nyy".getBytes(StandardCharsets.UTF_8);
        assertThat(pool.decode(buf, 2, buf.length - 5)).isEqualTo(new Subscribe(RequestId.of(1), null, null));
    }

    // ------------------------------------------------------------------ encoding

    @Test
    void poolMessagesEncodeAsTheProtocolShowsThem() {
        assertThat(line(pool.encode(Response.ok(RequestId.of(5))))).isEqualTo("{\"id\":5,\"result\":true,\"error\":null}\n");
        assertThat(line(pool.encode(Response.error(RequestId.of(4), StratumError.LOW_DIFFICULTY, true))))
                .isEqualTo("{\"id\":4,\"result\":false,\"error\":[23,\"Low difficulty share\",null]}\n");
        assertThat(line(pool.encode(Response.error(RequestId.NULL, StratumError.other("Unknown method"), false))))
                .isEqualTo("{\"id\":null,\"result\":null,\"error\":[20,\"Unknown method\",null]}\n");
        assertThat(line(pool.encode(Response.subscribed(RequestId.of(1), "57a6f098", Hex.decode("57a6f098"), 4))))
                .isEqualTo("{\"id\":1,\"result\":[[[\"mining.set_difficulty\",\"57a6f098\"],[\"mining.notify\",\"57a6f098\"]],\"57a6f098\",4],\"error\":null}\n");
        assertThat(line(pool.encode(new SetDifficulty(Difficulty.of("0.001")))))
                .isEqualTo("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[0.001]}\n");
        assertThat(line(pool.encode(new SetVersionMask(0x1fffe000))))
                .isEqualTo("{\"id\":null,\"method\":\"mining.set_version_mask\",\"params\":[\"1fffe000\"]}\n");
        assertThat(line(pool.encode(new SetExtranonce(Hex.decode("0a0b0c0d"), 8))))
                .isEqualTo("{\"id\":null,\"method\":\"mining.set_extranonce\",\"params\":[\"0a0b0c0d\",8]}\n");
        assertThat(line(pool.encode(new Reconnect("pool2.example", 3333, 5))))
                .isEqualTo("{\"id\":null,\"method\":\"client.reconnect\",\"params\":[\"pool2.example\",3333,5]}\n");
        assertThat(line(pool.encode(new Reconnect(null, null, null)))).isEqualTo("{\"id\":null,\"method\":\"client.reconnect\",\"params\":[]}\n");
        assertThat(line(pool.encode(new ShowMessage("maintenance at 12:00 \"UTC\""))))
                .isEqualTo("{\"id\":null,\"method\":\"client.show_message\",\"params\":[\"maintenance at 12:00 \\\"UTC\\\"\"]}\n");
        assertThat(line(pool.encode(new GetVersion(RequestId.of(99))))).isEqualTo("{\"id\":99,\"method\":\"client.get_version\",\"params\":[]}\n");
    }

    @Test
    void everyPoolMessageRoundTripsThroughTheClientCodec() {
        Notify notify = new Notify("6b1a", Sha256Hash.fromDisplayHex("00000000000000022246451e9af7ac4f8bff2527d223f6e623740e92171592f2"),
                Hex.decode("0200000001"), Hex.decode("ffffffff00000000"),
                MerkleBranch.of(List.of(Sha256Hash.twiceOf(new byte[] {1}), Sha256Hash.twiceOf(new byte[] {2}))),
                0x20000000, CompactBits.fromHex("192495f8"), 0x64b3f3ec, true);
        List<PoolMessage> all = List.of(notify, new SetDifficulty(Difficulty.of(65536)), new SetDifficulty(Difficulty.of("0.0001")),
                new SetVersionMask(0x1fffe000), new SetExtranonce(Hex.decode("00ff"), 4), new Reconnect("h", 1, 0),
                new Reconnect("h", null, null), new ShowMessage("é ✓ \u0001 𝄞"), new GetVersion(RequestId.ofString("v")),
                Response.ok(RequestId.of(1)), Response.error(RequestId.of(2), StratumError.DUPLICATE_SHARE, true),
                Response.subscribed(RequestId.of(3), "s", new byte[] {1, 2, 3, 4}, 8),
                Response.configured(RequestId.of(4), Map.of("version-rolling", JsonValue.Bool.TRUE)),
                new UnknownMethod(RequestId.NULL, "mining.ping"));
        for (PoolMessage m : all) {
            assertThat(client.decode(line(pool.encode(m)).trim())).as(m.toString()).isEqualTo(m);
        }
    }

    @Test
    void everyMinerMessageRoundTripsThroughThePoolCodec() {
        List<MinerMessage> all = List.of(new Subscribe(RequestId.of(1), "cpuminer/2.5.1", null), new Subscribe(RequestId.of(1), null, "abcd"),
                new Subscribe(RequestId.ofString("x"), null, null), new Authorize(RequestId.of(2), "addr.rig1", "d=1024"),
                new Authorize(RequestId.of(2), "w", null),
                new Configure(RequestId.of(3), List.of("version-rolling", "minimum-difficulty"), 0x1fffe000, 2, Difficulty.of(512)),
                new Configure(RequestId.of(3), List.of(), null, null, null),
                Submit.of(RequestId.of(4), "w", "j", Hex.decode("00000001"), 0x64b3f3ec, 0xed460d91),
                Submit.of(RequestId.of(4), "w", "j", Hex.decode("c7080000"), 0x64b3f3ec, 0xed460d91, 0x00002000),
                new SuggestDifficulty(RequestId.of(5), Difficulty.of("0.5")), new ExtranonceSubscribe(RequestId.of(6)),
                new GetTransactions(RequestId.of(7), null), new MultiVersion(RequestId.of(8), 1),
                new UnknownMethod(RequestId.of(9), "mining.ping"), new Response(RequestId.of(10), new JsonValue.Str("bmminer/2.0"), null));
        for (MinerMessage m : all) {
            assertThat(pool.decode(line(client.encode(m)).trim())).as(m.toString()).isEqualTo(m);
        }
    }
}
