package org.stratum4j.examples.bitcoind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.BlockTemplateParser;
import org.stratum4j.core.job.BlockValidator;
import org.stratum4j.examples.miner.CpuMiner;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.pool.PoolConfig;
import org.stratum4j.examples.pool.PoolMain;

/**
 * The example pool in Bitcoin Core mode against a fake node on regtest difficulty (every share is
 * a block): blocks reach {@code submitblock} at once, the next template is fetched right after an
 * accepted block without waiting for the long poll, and a node that goes away is retried while
 * miners keep the last job.
 */
class BitcoindChainTest {

    /** The fake chain: its tip changes when a block is accepted or the test says so. */
    private final class Node {
        volatile int tip = 1;
        volatile boolean down;
        final List<String> submitted = new CopyOnWriteArrayList<>();
        final CountDownLatch releaseLongPolls = new CountDownLatch(1);
        final List<String> longPollIds = new CopyOnWriteArrayList<>();

        FakeBitcoind.Answer answer(String body) throws InterruptedException {
            if (down) {
                return new FakeBitcoind.Answer(503, "node restarting");
            }
            if (body.contains("getblockchaininfo")) {
                return FakeBitcoind.Answer.result("{\"chain\":\"regtest\",\"blocks\":100,\"bestblockhash\":\"" + hash(tip)
                        + "\",\"initialblockdownload\":false}");
            }
            if (body.contains("submitblock")) {
                String hex = body.replaceAll(".*\"params\"\\s*:\\s*\\[\\s*\"([0-9a-f]+)\".*", "$1");
                submitted.add(hex);
                tip++;
                return FakeBitcoind.Answer.result("null");
            }
            if (body.contains("longpollid")) {
                longPollIds.add(body.replaceAll(".*\"longpollid\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
                releaseLongPolls.await(60, TimeUnit.SECONDS);
                return FakeBitcoind.Answer.result(gbt(tip));
            }
            return FakeBitcoind.Answer.result(gbt(tip));
        }
    }

    private FakeBitcoind fake;
    private final Node node = new Node();

    static String hash(int tip) {
        byte[] b = new byte[32];
        b[0] = (byte) tip;
        b[31] = 0x11;
        return Sha256Hash.fromInternalBytes(b).toDisplayHex();
    }

    static String gbt(int tip) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"version\":536870912,\"rules\":[\"csv\",\"!segwit\"],\"previousblockhash\":\"" + hash(tip) + "\","
                + "\"transactions\":[],\"coinbaseaux\":{},\"coinbasevalue\":5000000000,\"longpollid\":\"" + hash(tip) + tip + "\","
                + "\"target\":\"7fffff0000000000000000000000000000000000000000000000000000000000\",\"mintime\":" + (now - 600)
                + ",\"curtime\":" + now + ",\"bits\":\"207fffff\",\"height\":" + (100 + tip) + "}";
    }

    @BeforeEach
    void start() throws Exception {
        fake = new FakeBitcoind();
        fake.script = node::answer;
    }

    @AfterEach
    void stop() {
        node.releaseLongPolls.countDown();
        fake.close();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void blocksGoToTheNodeAtOnceAndTheNextJobFollowsWithoutTheLongPoll() throws Exception {
        try (ExamplePool pool = ExamplePool.start(PoolConfig.parse("--chain", "bitcoind", "--rpc-url", fake.url().toString(),
                "--rpc-user", "user", "--rpc-password", "pass", "--bind", "127.0.0.1", "--port", "0", "--difficulty", "0.0000001",
                "--vardiff-min", "0.0000001"))) {
            await(() -> pool.engine().latest() != null, "the first template");
            await(() -> !node.longPollIds.isEmpty(), "the long poll");
            try (CpuMiner miner = new CpuMiner(pool.boundAddresses().get(0), null, PoolMain.DEMO_ADDRESS, "x", 1)) {
                miner.start();
                await(() -> !node.submitted.isEmpty(), "a submitted block");
                // The long poll is still held by the node, yet the pool already works on the new tip.
                await(() -> pool.engine().latest().job().previousBlockHash().toDisplayHex().equals(hash(node.tip)),
                        "a job on the new tip");
                assertThat(node.releaseLongPolls.getCount()).isEqualTo(1);
            }
            byte[] block = Hex.decode(node.submitted.get(0));
            BlockTemplate t1 = BlockTemplateParser.parse(gbt(1));
            assertThat(BlockValidator.validate(block, t1, System.currentTimeMillis() / 1000)).isEmpty();
        }
    }

    @Test
    void aNodeThatGoesAwayIsRetriedWhileMinersKeepTheLastJob() throws Exception {
        try (ExamplePool pool = ExamplePool.start(PoolConfig.parse("--chain", "bitcoind", "--rpc-url", fake.url().toString(),
                "--rpc-user", "user", "--rpc-password", "pass", "--bind", "127.0.0.1", "--port", "0"))) {
            await(() -> pool.engine().latest() != null, "the first template");
            // Only once the long poll is held does the job stay put: before that a second template may still come.
            await(() -> !node.longPollIds.isEmpty(), "the long poll");
            String firstJob = pool.engine().latest().job().id();
            node.down = true;
            node.releaseLongPolls.countDown(); // the long poll now fails with 503
            Thread.sleep(1500);
            assertThat(pool.engine().latest().job().id()).isEqualTo(firstJob);
            node.tip = 5;
            node.down = false;
            await(() -> pool.engine().latest().job().previousBlockHash().toDisplayHex().equals(hash(5)), "a job after the node came back");
        }
    }
}
