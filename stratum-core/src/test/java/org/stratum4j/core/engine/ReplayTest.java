package org.stratum4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.BlockTemplateParser;
import org.stratum4j.core.job.CoinbaseBuilder;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.ClientCodec;
import org.stratum4j.core.protocol.JsonValue;
import org.stratum4j.core.protocol.MinerMessage;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolCodec;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.SetDifficulty;
import org.stratum4j.core.protocol.StratumPrevHash;
import org.stratum4j.core.testing.Json;
import org.stratum4j.core.testing.MutableClock;

/** Real exchanges replayed through the engine give exactly the recorded verdicts. */
class ReplayTest {

    /** Hands out one fixed extranonce1, as the recorded pool did. */
    static ExtranonceAllocator fixed(String hex) {
        byte[] value = Hex.decode(hex);
        return new ExtranonceAllocator() {
            @Override
            public int size() {
                return value.length;
            }

            @Override
            public byte[] allocate() {
                return value.clone();
            }

            @Override
            public void release(byte[] extranonce1) {
            }
        };
    }

    static MinerMessage minerLine(PoolCodec codec, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return codec.decode(b, 0, b.length);
    }

    @Test
    void bitaxeOnPublicPoolWithVersionRolling() {
        Map<String, Object> ex = Json.maps(Json.resource("/vectors/stratum_sessions.json"), "exchanges").stream()
                .filter(e -> e.get("name").equals("public_pool_bitaxe_testnet")).findFirst().orElseThrow();
        Map<String, Object> gbtVector = Json.maps(Json.resource("/vectors/gbt.json"), "vectors").get(0);
        BlockTemplate template = BlockTemplateParser.parse(Json.write(gbtVector.get("gbt")));
        byte[] script = Hex.decode("0014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc");
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(template.curTime()));
        PoolEngine engine = PoolEngine.builder().clock(clock)
                .coinbaseBuilder(CoinbaseBuilder.defaults().withPoolTag("\\public-pool\\").withExtranonceSizes(4, 4))
                .extranonces(fixed((String) ex.get("extranonce1")))
                .payouts(t -> List.of(CoinbaseOutput.of(36986, script), CoinbaseOutput.of(2428731, script)))
                .blockSubmitter(b -> CompletableFuture.completedFuture(java.util.Optional.empty()))
                .difficultyPolicy(DifficultyPolicy.fixed(Difficulty.of("0.001"), Difficulty.of(1L << 40)))
                .build();
        engine.newTemplate(template);
        FakeConnection c = new FakeConnection(1);
        Session s = engine.open(c);
        PoolCodec codec = new PoolCodec();

        List<Object> recordedNotify = Json.asList(ex.get("notify_params"));
        String ourJob = null;
        for (Map<String, Object> msg : Json.maps(ex, "messages")) {
            if (!msg.get("dir").equals("miner->pool")) {
                continue;
            }
            String line = Json.write(msg.get("json"));
            if (line.contains("mining.submit")) {
                line = line.replace("\"1\"", "\"" + ourJob + "\"");
            }
            engine.receive(s, minerLine(codec, line));
            List<PoolMessage> out = c.take();
            for (PoolMessage m : out) {
                if (m instanceof Notify n) {
                    ourJob = n.jobId();
                    assertThat(StratumPrevHash.toStratumHex(n.prevHash())).isEqualTo(recordedNotify.get(1));
                    assertThat(Hex.encode(n.coinb1())).isEqualTo(recordedNotify.get(2));
                    assertThat(Hex.encode(n.coinb2())).isEqualTo(recordedNotify.get(3));
                    assertThat(n.merkleBranch().toInternalHex()).isEqualTo(recordedNotify.get(4));
                    assertThat(String.format("%08x", n.version())).isEqualTo(recordedNotify.get(5));
                    assertThat(n.nbits().toHex()).isEqualTo(recordedNotify.get(6));
                }
            }
            String method = (String) Json.asMap(msg.get("json")).get("method");
            Response r = FakeConnection.last(out);
            switch (method) {
                case "mining.subscribe" -> {
                    assertThat(s.extranonce1Hex()).isEqualTo(ex.get("extranonce1"));
                    assertThat(r.result().toString()).contains("57a6f098").contains("Num[text=4]");
                }
                case "mining.configure" -> assertThat(((JsonValue.Object) r.result()).fields())
                        .containsEntry("version-rolling", JsonValue.Bool.TRUE)
                        .containsEntry("version-rolling.mask", new JsonValue.Str((String) ex.get("version_mask")));
                case "mining.suggest_difficulty" -> assertThat(out).contains(new SetDifficulty(Difficulty.of(512)));
                case "mining.authorize", "mining.submit" -> assertThat(r.isTrue()).as(method).isTrue();
                default -> throw new AssertionError("unexpected " + method);
            }
        }
        assertThat(s.acceptedShares()).isEqualTo(1);

        // The four recorded negative cases, each on the same job: all rejected, each with its code.
        Map<String, Integer> codes = Map.of("version_bits_ignored", 23, "nonce_changed", 23,
                "version_bits_outside_mask", 20, "extranonce2_wrong_size", 20);
        for (Map<String, Object> neg : Json.maps(ex, "negative_cases")) {
            List<Object> params = new ArrayList<>(Json.asList(neg.get("submit_params")));
            params.set(1, ourJob);
            engine.receive(s, minerLine(codec, "{\"id\":9,\"method\":\"mining.submit\",\"params\":" + Json.write(params) + "}"));
            Response r = FakeConnection.last(c.take());
            assertThat(r.isTrue()).as((String) neg.get("name")).isFalse();
            assertThat(r.error().code()).as((String) neg.get("name")).isEqualTo(codes.get(neg.get("name")));
        }
    }

    @Test
    void cpuminerSessionReplaysWithTheRecordedVerdicts() {
        Map<String, Object> file = Json.resource("/vectors/cpuminer_session.json");
        List<Map<String, Object>> lines = Json.maps(file, "exchange");
        List<Map<String, Object>> expected = Json.maps(file, "expected");
        ClientCodec client = new ClientCodec();
        PoolCodec pool = new PoolCodec();

        MutableClock clock = new MutableClock(Instant.EPOCH);
        List<ShareEvent> events = new ArrayList<>();
        PoolEngine engine = PoolEngine.builder().clock(clock)
                .coinbaseBuilder(CoinbaseBuilder.defaults().withExtranonceSizes(4, 4))
                .extranonces(fixed((String) file.get("extranonce1")))
                .payouts(t -> {
                    throw new AssertionError("replayed jobs come from the recorded notifies");
                })
                .blockSubmitter(b -> CompletableFuture.completedFuture(java.util.Optional.empty()))
                .shareSink(e -> {
                    events.add(e);
                    return CompletableFuture.completedFuture(null);
                })
                .difficultyPolicy(DifficultyPolicy.fixed(Difficulty.of("0.001"), Difficulty.of(1)))
                .initialDifficulty(Difficulty.of(((Json.Num) file.get("share_difficulty")).text()))
                .build();
        FakeConnection c = new FakeConnection(1);
        Session s = null;
        long base = -1;
        List<Response> submitAnswers = new ArrayList<>();
        List<Response> recordedSubmitAnswers = new ArrayList<>();
        for (Map<String, Object> l : lines) {
            String line = (String) l.get("line");
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            double t = ((Json.Num) l.get("t")).asDouble();
            if (l.get("dir").equals("pool->miner")) {
                PoolMessage m = client.decode(bytes, 0, bytes.length);
                if (m instanceof Notify n) {
                    if (base < 0) {
                        base = n.ntime() & 0xffffffffL;
                    }
                    clock.set(Instant.ofEpochMilli((long) ((base + t) * 1000)));
                    Announcement a = engine.announce(Job.fromNotify(n, 4, 4, clock.instant()));
                    if (s != null) {
                        engine.deliver(s, a);
                    }
                } else if (m instanceof Response r && line.contains("\"id\": 4")) {
                    recordedSubmitAnswers.add(r);
                }
                continue;
            }
            if (base >= 0) {
                clock.set(Instant.ofEpochMilli((long) ((base + t) * 1000)));
            }
            if (s == null) {
                s = engine.open(c);
            }
            engine.receive(s, pool.decode(bytes, 0, bytes.length));
            if (line.contains("mining.submit")) {
                submitAnswers.add(FakeConnection.last(c.sent));
            }
            c.sent.clear();
        }
        assertThat(submitAnswers).hasSize(expected.size()).hasSize(recordedSubmitAnswers.size());
        assertThat(events).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> e = expected.get(i);
            assertThat(submitAnswers.get(i).isTrue()).as("submit %d", i).isEqualTo(e.get("valid"))
                    .isEqualTo(recordedSubmitAnswers.get(i).isTrue());
            assertThat(submitAnswers.get(i).id()).isEqualTo(recordedSubmitAnswers.get(i).id());
            assertThat(events.get(i).hash().toDisplayHex()).as("hash of submit %d", i).isEqualTo(e.get("hash"));
            assertThat(events.get(i).block()).as("block flag of submit %d", i).isEqualTo(e.get("block"));
        }
        assertThat(events.stream().filter(ShareEvent::block)).hasSize(10);
    }
}
