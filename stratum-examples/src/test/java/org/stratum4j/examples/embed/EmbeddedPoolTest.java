package org.stratum4j.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratum4j.examples.testing.TestPools.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.examples.bitcoind.RpcAuth;
import org.stratum4j.examples.demo.DemoChain;
import org.stratum4j.examples.demo.DemoNode;
import org.stratum4j.examples.miner.CpuMiner;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.StratumClient;

/**
 * The embedding guide's program, run as written: against a node that speaks Bitcoin Core's
 * JSON-RPC (the demo chain behind {@link DemoNode}), a CPU miner of a user in the table gets
 * shares credited and finds blocks the node accepts; a stranger is refused with 24.
 */
class EmbeddedPoolTest {

    @Test
    void theGuidesPoolMinesOnANodeCreditsItsUsersAndRefusesStrangers() throws Exception {
        DemoChain chain = DemoChain.builder().networkDifficulty(Difficulty.of("0.002")).build();
        try (DemoNode node = DemoNode.start(chain, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "rpc", "s3cret",
                Duration.ofSeconds(5));
             EmbeddedPool pool = EmbeddedPool.start(node.url(), RpcAuth.password("rpc", "s3cret"), Network.REGTEST, PoolMain.DEMO_ADDRESS,
                     Map.of("alice", "wonderland"), Difficulty.of("0.0005"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            try (CpuMiner rig = new CpuMiner(pool.address(), null, "alice.rig1", "wonderland", 1)) {
                rig.start();
                await(() -> rig.accepted() >= 3 && chain.blocksAccepted() >= 1, 120, "alice's shares and a block; accepted "
                        + rig.accepted() + ", blocks " + chain.blocksAccepted());
            }
            assertThat(pool.credits().of("alice")).isGreaterThanOrEqualTo(3 * 0.0005);
            assertThat(pool.credits().of("mallory")).isZero();
            try (ClientGroup group = ClientGroup.start(1)) {
                StratumClient stranger = group.connect(pool.address(), new StratumClient.Listener() { }).get(10, TimeUnit.SECONDS);
                stranger.subscribe("test").get(10, TimeUnit.SECONDS);
                assertThat(stranger.authorize("mallory.rig", "guess").get(10, TimeUnit.SECONDS).error().code()).isEqualTo(24);
                assertThat(stranger.authorize("alice.rig2", "guess").get(10, TimeUnit.SECONDS).error().message())
                        .isEqualTo("unknown user or password");
            }
        }
    }
}
