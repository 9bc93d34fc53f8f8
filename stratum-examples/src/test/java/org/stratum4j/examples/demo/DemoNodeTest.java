package org.stratum4j.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.FoundBlock;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.examples.bitcoind.BitcoindRpc;
import org.stratum4j.examples.bitcoind.RpcAuth;
import org.stratum4j.examples.bitcoind.RpcException;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.examples.store.BlockLookup;
import org.stratum4j.examples.testing.TestPools;
import org.stratum4j.examples.testing.ValidShareMiner;

/**
 * The demo node answers the pool's RPC client as Bitcoin Core does, and pools that follow it all
 * move when a block is found through any one of them.
 */
class DemoNodeTest {

    final List<AutoCloseable> closing = new ArrayList<>();
    DemoNode node;

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    DemoNode node(String difficulty, Duration hold) throws Exception {
        node = DemoNode.start(DemoChain.builder().networkDifficulty(Difficulty.of(difficulty)).seed(7).build(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "demo", "s3cret", hold);
        closing.add(node);
        return node;
    }

    BitcoindRpc rpc(String password) {
        BitcoindRpc rpc = BitcoindRpc.builder(node.url(), RpcAuth.password("demo", password)).requestTimeout(Duration.ofSeconds(10))
                .longPollTimeout(Duration.ofSeconds(20)).build();
        closing.add(rpc);
        return rpc;
    }

    static BlockTemplate awaitCurrent(DemoChain chain) throws InterruptedException {
        for (int i = 0; i < 500 && chain.currentTemplate() == null; i++) {
            Thread.sleep(10);
        }
        return chain.currentTemplate();
    }

    @Test
    void theTemplateOverRpcIsTheChainsOwn() throws Exception {
        node("0.0001", Duration.ofSeconds(5));
        BitcoindRpc rpc = rpc("s3cret");
        assertThat(rpc.checkNetwork(Network.REGTEST).blocks()).isEqualTo(DemoChain.DEFAULT_START_HEIGHT);
        BlockTemplate own = awaitCurrent(node.chain());
        BlockTemplate served = rpc.getBlockTemplate();
        assertThat(served.previousBlockHash()).isEqualTo(own.previousBlockHash());
        assertThat(served.height()).isEqualTo(DemoChain.DEFAULT_START_HEIGHT + 1);
        assertThat(served.transactions()).isEqualTo(own.transactions());
        assertThat(served.coinbaseValue()).isEqualTo(own.coinbaseValue());
        assertThat(served.bits()).isEqualTo(own.bits());
        assertThat(served.witnessCommitment()).isEqualTo(own.witnessCommitment());
        assertThat(served.witnessCommitmentMatchesTransactions()).isTrue();
        assertThat(served.longPollId()).isEqualTo(own.longPollId()).isPresent();
    }

    @Test
    void aBlockSubmittedOverRpcEndsEveryLongPollWithTheNewTip() throws Exception {
        node("0.0001", Duration.ofSeconds(30));
        BitcoindRpc one = rpc("s3cret");
        BitcoindRpc two = rpc("s3cret");
        BlockTemplate first = one.getBlockTemplate();
        String id = first.longPollId().orElseThrow();
        CompletableFuture<BlockTemplate> pollOne = CompletableFuture.supplyAsync(() -> poll(one, id));
        CompletableFuture<BlockTemplate> pollTwo = CompletableFuture.supplyAsync(() -> poll(two, id));
        Thread.sleep(300);
        assertThat(pollOne).isNotDone();

        FoundBlock found = DemoChainTest.solve(first);
        assertThat(one.submitBlock(found.block())).isEmpty();
        for (BlockTemplate next : List.of(pollOne.get(5, TimeUnit.SECONDS), pollTwo.get(5, TimeUnit.SECONDS))) {
            assertThat(next.height()).isEqualTo(DemoChain.DEFAULT_START_HEIGHT + 2);
            assertThat(next.previousBlockHash()).isEqualTo(found.hash());
        }
        assertThat(one.getBlockHeader(found.hash())).contains(new BlockLookup.BlockState(DemoChain.DEFAULT_START_HEIGHT + 1, 1));
        assertThat(one.getBlockchainInfo().bestBlockHash()).isEqualTo(found.hash());
        // Core's answers for the same block again, and for a block it has never seen.
        assertThat(two.submitBlock(found.block())).contains("duplicate");
        assertThat(one.getBlockHeader(Sha256Hash.fromInternalBytes(new byte[32]))).isEmpty();
    }

    @Test
    void badBlocksGetBitcoinCoresReasonsAndTheTipStays() throws Exception {
        node("0.0001", Duration.ofSeconds(5));
        BitcoindRpc rpc = rpc("s3cret");
        BlockTemplate t = rpc.getBlockTemplate();
        byte[] block = DemoChainTest.solve(t).block();

        byte[] badRoot = block.clone();
        badRoot[40] ^= 1; // a merkle-root byte: the header no longer commits to the transactions (nor, likely, meets the target)
        assertThat(rpc.submitBlock(badRoot)).get().isIn("bad-txnmrklroot", "high-hash");
        byte[] unknownParent = block.clone();
        unknownParent[4] ^= 1;
        assertThat(rpc.submitBlock(unknownParent)).contains("prev-blk-not-found");
        assertThat(rpc.submitBlock(new byte[10])).contains("Block decode failed");
        assertThat(node.chain().height()).isEqualTo(DemoChain.DEFAULT_START_HEIGHT);
    }

    @Test
    void generateToAddressMakesOtherMinersBlocksAsRegtestDoes() throws Exception {
        node("0.0001", Duration.ofSeconds(30));
        BitcoindRpc rpc = rpc("s3cret");
        BlockTemplate first = rpc.getBlockTemplate();
        CompletableFuture<BlockTemplate> poll = CompletableFuture.supplyAsync(() -> poll(rpc("s3cret"), first.longPollId().orElseThrow()));
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString("demo:s3cret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> made = http.send(HttpRequest.newBuilder(node.url()).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1,\"method\":\"generatetoaddress\",\"params\":[2,\"" + PoolMain.DEMO_ADDRESS
                        + "\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(made.statusCode()).isEqualTo(200);
        String tip = node.chain().tip().toDisplayHex();
        assertThat(made.body()).matches("\\{\"result\":\\[\"[0-9a-f]{64}\",\"" + tip + "\"\\],\"error\":null,\"id\":1}");
        assertThat(node.chain().height()).isEqualTo(DemoChain.DEFAULT_START_HEIGHT + 2);
        // The long poll ends with a template on the new tip.
        assertThat(poll.get(5, TimeUnit.SECONDS).height()).isGreaterThan(first.height());
        assertThat(rpc.getBlockTemplate().previousBlockHash()).isEqualTo(node.chain().tip());

        HttpResponse<String> none = http.send(HttpRequest.newBuilder(node.url()).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":2,\"method\":\"generatetoaddress\",\"params\":[0,\"x\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(500);
        assertThat(none.body()).contains("-8").contains("1..1000");
        assertThat(node.chain().height()).isEqualTo(DemoChain.DEFAULT_START_HEIGHT + 2);
    }

    @Test
    void aLongPollWithoutANewTipIsAnsweredAfterTheHold() throws Exception {
        node("0.0001", Duration.ofSeconds(1));
        BitcoindRpc rpc = rpc("s3cret");
        BlockTemplate t = rpc.getBlockTemplate();
        long start = System.nanoTime();
        BlockTemplate again = rpc.waitForNewTemplate(t.longPollId().orElseThrow());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(again.longPollId()).isEqualTo(t.longPollId());
        assertThat(ms).isBetween(900L, 10_000L);
    }

    @Test
    void callsNeedTheRightPasswordAndAKnownMethod() throws Exception {
        node("0.0001", Duration.ofSeconds(5));
        assertThatThrownBy(() -> rpc("wrong").getBlockTemplate()).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.kind()).isEqualTo(RpcException.Kind.UNAUTHORIZED));
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString("demo:s3cret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(node.url()).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"x\",\"method\":\"stop\",\"params\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("-32601").contains("\"id\":\"x\"");
        HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(node.url()).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"method\":")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(500);
        assertThat(garbage.body()).contains("-32700");
        byte[] huge = new byte[DemoNode.MAX_REQUEST_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(node.url()).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
    }

    @Test
    void poolsFollowingOneNodeAllMoveToACleanJobWhenAnyOfThemFindsABlock() throws Exception {
        // About one share in a hundred is a block.
        node("0.000001", Duration.ofSeconds(20));
        String[] base = {"--bind", "127.0.0.1", "--port", "0", "--chain", "bitcoind", "--rpc-url", node.url().toString(), "--rpc-user",
            "demo", "--rpc-password", "s3cret", "--mode", "pool", "--payout-address", PoolMain.DEMO_ADDRESS, "--difficulty",
            ValidShareMiner.DIFFICULTY, "--vardiff", "off", "--vardiff-min", ValidShareMiner.DIFFICULTY};
        ExamplePool finder = TestPools.start(base, "--instance-id", "1");
        closing.add(finder);
        ExamplePool other = TestPools.start(base, "--instance-id", "2");
        closing.add(other);
        ValidShareMiner mining = new ValidShareMiner(finder.boundAddresses().get(0).getPort(), PoolMain.DEMO_ADDRESS + ".a", 8);
        closing.add(mining);
        ValidShareMiner watching = new ValidShareMiner(other.boundAddresses().get(0).getPort(), PoolMain.DEMO_ADDRESS + ".b", 8);
        closing.add(watching);
        Sha256Hash genesis = watching.currentJob().prevHash();
        assertThat(mining.currentJob().prevHash()).isEqualTo(genesis);

        // Eight shares are in flight: one more block may follow the first before the miner stops.
        mining.mine(0, 0, () -> node.chain().blocksAccepted() > 0);
        mining.drain();
        assertThat(node.chain().blocksAccepted()).isPositive();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && !watching.currentJob().prevHash().equals(node.chain().tip())) {
            Thread.sleep(5);
        }
        Sha256Hash tip = node.chain().tip();
        Notify seen = watching.currentJob();
        assertThat(seen.prevHash()).as("the other pool's miner works on the new tip").isEqualTo(tip).isNotEqualTo(genesis);
        assertThat(seen.cleanJobs()).isTrue();
        assertThat(seen.jobId()).endsWith("02");
        assertThat(mining.currentJob().jobId()).endsWith("01");
        assertThat(finder.engine().stats().blocks()).isPositive();
        assertThat(other.engine().stats().blocks()).isZero();
    }

    static BlockTemplate poll(BitcoindRpc rpc, String id) {
        try {
            return rpc.waitForNewTemplate(id);
        } catch (RpcException e) {
            throw new IllegalStateException(e);
        }
    }
}
