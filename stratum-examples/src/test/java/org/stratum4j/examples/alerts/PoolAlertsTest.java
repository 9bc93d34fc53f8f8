package org.stratum4j.examples.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.examples.testing.TestPools;
import org.stratum4j.examples.testing.ValidShareMiner;

/** The example pool with {@code --alert-webhook}: a block found by a miner reaches the webhook. */
class PoolAlertsTest {

    @Test
    void aFoundBlockIsPostedToTheWebhookWithTheNodesVerdict() throws Exception {
        try (WebhookSenderTest.Receiver hook = new WebhookSenderTest.Receiver();
             ExamplePool pool = TestPools.start(new String[] {"--bind", "127.0.0.1", "--port", "0", "--demo-network-difficulty",
                 "0.000001", "--difficulty", ValidShareMiner.DIFFICULTY, "--vardiff", "off", "--vardiff-min", ValidShareMiner.DIFFICULTY,
                 "--alert-webhook", hook.url().toString(), "--alert-offline-minutes", "1"});
             ValidShareMiner miner = new ValidShareMiner(pool.boundAddresses().get(0).getPort(), PoolMain.DEMO_ADDRESS + ".rig7", 8)) {
            miner.mine(0, 0, () -> !hook.bodies.isEmpty());
            WebhookSenderTest.await(() -> !hook.bodies.isEmpty());
            String event = hook.bodies.get(0);
            assertThat(event).contains("\"event\":\"block_found\"").contains("\"worker\":\"" + PoolMain.DEMO_ADDRESS + ".rig7\"")
                    .contains("\"accepted\":true").contains("\"verdict\":\"accepted\"").contains("\"height\":" + (org.stratum4j.examples.demo.DemoChain.DEFAULT_START_HEIGHT + 1));
        }
    }
}
