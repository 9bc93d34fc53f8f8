package org.stratum4j.examples.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stratum4j.examples.testing.TestPools;

/** The command line as an operator meets it: a child JVM, its exit status and what it prints. */
class PoolMainTest {

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) throws Exception {
        List<String> cmd = TestPools.childCommand(args);
        Process p = new ProcessBuilder(cmd).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the pool did not exit: " + cmd);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aBadSettingIsOneLineAndStatusTwoNeverAStackTrace() throws Exception {
        Run r = run("--port", "3333", "--mode", "pool", "--payout-address", "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().lines().filter(l -> l.startsWith("stratum4j pool: "))).hasSize(1);
        assertThat(r.err()).contains("is not a regtest address");

        Run unknown = run("--prot", "1");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("stratum4j pool: unknown option --prot (see --help)");
    }

    @Test
    void helpListsEveryFlagAndExitsZero() throws Exception {
        Run r = run("--help");
        assertThat(r.status()).isZero();
        for (String flag : List.of("--bind", "--port", "--chain", "--difficulty", "--vardiff", "--mode", "--payout-address", "--rpc-url",
                "--rpc-user", "--rpc-password", "--rpc-cookie", "--share-log", "--stats-port", "--stats-bind", "--demo-network-difficulty",
                "--tls-port", "--tls-cert", "--tls-key", "--proxy-protocol", "--instance-id", "--max-connections",
                "--max-connections-per-address", "--event-loops", "--ban-threshold", "--config")) {
            assertThat(r.out()).contains("  " + flag + " ");
        }
    }
}
