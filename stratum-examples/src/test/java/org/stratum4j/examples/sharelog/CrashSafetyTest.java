package org.stratum4j.examples.sharelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.examples.testing.TestPools;
import org.stratum4j.examples.testing.ValidShareMiner;

/**
 * Crash safety: the pool runs as a child JVM with a share log, a miner submits valid shares as
 * fast as the pool takes them, and the pool is killed with SIGKILL in the middle. Every share the
 * miner heard {@code true} for must be in the log, and a new pool must start on the same log.
 */
class CrashSafetyTest {

    private static final String DIFFICULTY = ValidShareMiner.DIFFICULTY;

    static Process startPool(int port, Path log) throws IOException {
        List<String> cmd = TestPools.childCommand("--bind", "127.0.0.1", "--port", Integer.toString(port), "--mode", "pool",
                "--payout-address", PoolMain.DEMO_ADDRESS, "--share-log", log.toString(), "--difficulty", DIFFICULTY, "--vardiff", "off",
                "--vardiff-min", DIFFICULTY);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void everyShareThatGotTrueIsInTheLogAfterSigkillAndThePoolRestartsOnTheSameLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("shares.jsonl");
        int port = TestPools.freePort();
        Process pool = startPool(port, log);
        Set<String> acknowledged;
        try {
            TestPools.awaitListening(pool, port);
            try (ValidShareMiner miner = new ValidShareMiner(port, "crash.rig", 64)) {
                // Kill the pool mid-stream, with shares in flight, once a good number has been acknowledged.
                miner.mineUntilKilled(pool, 1500);
                assertThat(pool.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(pool.exitValue()).as("killed by SIGKILL").isEqualTo(137);
                acknowledged = new HashSet<>(miner.acknowledged);
            }
        } finally {
            pool.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(1500);

        List<LoggedShare> logged = new ArrayList<>();
        ShareLog.read(log, logged::add);
        Set<String> inLog = new HashSet<>();
        for (LoggedShare s : logged) {
            inLog.add(s.job() + "/" + s.extranonce2() + "/" + s.nonce());
        }
        assertThat(inLog).as("every acknowledged share is in the log").containsAll(acknowledged);

        // A new pool starts on the same log, appends after what is there, and the log reads back whole.
        int again = TestPools.freePort();
        Process restarted = startPool(again, log);
        try {
            TestPools.awaitListening(restarted, again);
            try (ValidShareMiner miner = new ValidShareMiner(again, "crash.rig", 64)) {
                miner.mine(1L << 40, 0, () -> miner.acknowledged.size() >= 20);
                miner.drain();
                List<LoggedShare> after = new ArrayList<>();
                ShareLog.read(log, after::add);
                Set<String> keys = new HashSet<>();
                for (LoggedShare s : after) {
                    keys.add(s.job() + "/" + s.extranonce2() + "/" + s.nonce());
                }
                assertThat(keys).containsAll(inLog).containsAll(miner.acknowledged);
            }
        } finally {
            restarted.destroy();
            restarted.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
