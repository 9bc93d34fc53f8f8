package org.stratum4j.examples.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.core.sv2.noise.Secp256k1KeyPair;
import org.stratum4j.core.sv2.noise.XOnlyPublicKey;
import org.stratum4j.examples.miner.CpuMiner;
import org.stratum4j.examples.miner.Sv2CpuMiner;
import org.stratum4j.examples.sv2.AuthorityKeyFile;

/**
 * The example pool with a Stratum V2 port: a V2 CPU miner (header-only, standard channel) and a V1
 * CPU miner on one demo pool, both finding blocks the demo chain accepts, counted apart in /stats;
 * the authority key file, its URL, and a miner pinned to another key.
 */
class StratumV2PoolTest {

    @Test
    void v1AndV2MinersMineTheSamePoolAndBothFindBlocks(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("keys/authority.key");
        try (ExamplePool pool = ExamplePoolTest.pool("--sv2-port", "0", "--sv2-authority-key", key.toString(), "--web-port", "0",
                "--stats-port", "0")) {
            assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            XOnlyPublicKey authority = AuthorityKeyFile.load(key).publicKey();
            List<String> urls = pool.sv2Urls();
            assertThat(urls).hasSize(1);
            assertThat(urls.get(0)).startsWith("stratum2+tcp://127.0.0.1:").endsWith("/" + authority.toBase58Check());
            URI url = URI.create(urls.get(0));
            assertThat(XOnlyPublicKey.fromBase58Check(url.getPath().substring(1))).isEqualTo(authority);

            var demo = pool.demoChain().orElseThrow();
            try (Sv2CpuMiner v2 = new Sv2CpuMiner(pool.boundAddresses().get(1), authority, PoolMain.DEMO_ADDRESS + ".v2", 1);
                 CpuMiner v1 = new CpuMiner(pool.boundAddresses().get(0), null, PoolMain.DEMO_ADDRESS + ".v1", "x", 1)) {
                v2.start();
                v1.start();
                int[] status = new int[1];
                URI blocks = URI.create("http://127.0.0.1:" + pool.webAddress().orElseThrow().getPort() + "/api/blocks");
                ExamplePoolTest.await(() -> {
                    try {
                        String body = ExamplePoolTest.get(blocks, status);
                        return v1.accepted() >= 3 && v2.accepted() >= 3 && body.contains(".v1") && body.contains(".v2");
                    } catch (Exception e) {
                        return false;
                    }
                }, 240, "blocks by both miners; V1 accepted " + v1.accepted() + ", V2 accepted " + v2.accepted() + ", chain blocks "
                        + demo.blocksAccepted());
                assertThat(demo.blocksAccepted()).isGreaterThanOrEqualTo(2);
                // Work in flight across a block change may come back stale; nothing else may be rejected.
                assertThat(v2.rejected() + v1.rejected()).isLessThanOrEqualTo(pool.engine().stats().rejected(
                        org.stratum4j.core.share.RejectReason.JOB_NOT_FOUND));
                String stats = ExamplePoolTest.get(URI.create("http://127.0.0.1:" + pool.statsAddress().orElseThrow().getPort() + "/stats"),
                        status);
                assertThat(stats).containsPattern("\"v2\" : \\{\\s*\"connections\" : 1,\\s*\"channels\" : 1,\\s*\"accepted\" : [1-9]");
                assertThat(stats).containsPattern("\"v1\" : \\{\\s*\"sessions\" : 1,\\s*\"accepted\" : [1-9]");
                assertThat(pool.engine().minerSoftware()).containsKeys("stratum4j-cpuminer (Stratum V2)", "stratum4j-cpuminer");
                String api = ExamplePoolTest.get(URI.create("http://127.0.0.1:" + pool.webAddress().orElseThrow().getPort() + "/api/pool"),
                        status);
                assertThat(api).containsPattern("\"connections_by_protocol\":\\{\"stratum_v1\":1,\"stratum_v2\":1\\}");
            }
        }
        // The same key file serves the next start: miners keep their URL.
        try (ExamplePool again = ExamplePoolTest.pool("--sv2-port", "0", "--sv2-authority-key", key.toString())) {
            assertThat(again.sv2Urls().get(0)).endsWith("/" + AuthorityKeyFile.load(key).publicKey().toBase58Check());
        }
    }

    @Test
    void aMinerPinnedToAnotherAuthorityRefusesThePool(@TempDir Path dir) throws Exception {
        try (ExamplePool pool = ExamplePoolTest.pool("--sv2-port", "0", "--sv2-authority-key", dir.resolve("k").toString())) {
            XOnlyPublicKey stranger = Secp256k1KeyPair.generate(new java.security.SecureRandom()).publicKey();
            Sv2CpuMiner miner = new Sv2CpuMiner(pool.boundAddresses().get(1), stranger, PoolMain.DEMO_ADDRESS, 1);
            assertThatThrownBy(miner::start).hasMessageContaining("not signed by authority");
            miner.close();
        }
    }

    @Test
    void aDamagedKeyFileStopsTheStartWithAClearMessage(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("bad.key");
        Files.writeString(key, "secret_key = nothex\n");
        assertThatThrownBy(() -> ExamplePoolTest.pool("--sv2-port", "0", "--sv2-authority-key", key.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("secret_key is not hex");
        assertThatThrownBy(() -> ExamplePoolTest.pool("--sv2-authority-key", key.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("used only with --sv2-port");
    }
}
