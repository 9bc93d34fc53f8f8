package org.stratum4j.examples.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stratum4j.core.bitcoin.Difficulty;

/** Flags and the config file: defaults, every value checked, one clear sentence per mistake. */
class PoolConfigTest {

    @Test
    void aStartingDifficultyOutsideTheVardiffRangeIsRefusedNamingBothFlags() throws ConfigException {
        // The trap a new operator fell into: on Bitcoin Core the default floor is 1, and 0.00001 was silently raised to it.
        assertThatThrownBy(() -> PoolConfig.parse("--chain", "bitcoind", "--rpc-cookie", "c", "--difficulty", "0.00001"))
                .hasMessage("--difficulty 0.00001 is below --vardiff-min (its default with --chain bitcoind) 1; lower --vardiff-min or"
                        + " raise the difficulty (vardiff never goes below its minimum)");
        assertThatThrownBy(() -> PoolConfig.parse("--difficulty", "8", "--vardiff-max", "4"))
                .hasMessage("--difficulty 8 is above --vardiff-max 4; raise --vardiff-max or lower the difficulty (vardiff never goes above"
                        + " its maximum)");
        assertThatThrownBy(() -> PoolConfig.parse("--port", "3333,3334:0.000001"))
                .hasMessageStartingWith("--port 3334:0.000001 is below --vardiff-min (its default with --chain demo) 0.00001");
        assertThatThrownBy(() -> PoolConfig.parse("--vardiff-min", "0.01"))
                .hasMessageStartingWith("the default --difficulty 0.001 is below --vardiff-min 0.01");
        assertThat(PoolConfig.parse("--chain", "bitcoind", "--rpc-cookie", "c", "--difficulty", "0.00001", "--vardiff-min", "0.00001")
                .helpRequested()).isFalse();
    }

    @Test
    void flagsThatWouldDoNothingAreRefused() {
        assertThatThrownBy(() -> PoolConfig.parse("--rpc-user", "u")).hasMessage("--rpc-user is used only with --chain bitcoind");
        assertThatThrownBy(() -> PoolConfig.parse("--chain", "bitcoind", "--rpc-cookie", "c", "--demo-network-difficulty", "0.1"))
                .hasMessage("--demo-network-difficulty is used only with --chain demo");
        assertThatThrownBy(() -> PoolConfig.parse("--vardiff", "off", "--vardiff-seconds-per-share", "5", "--vardiff-change-interval", "1"))
                .hasMessage("--vardiff-seconds-per-share and --vardiff-change-interval are used only with --vardiff on");
        assertThatThrownBy(() -> PoolConfig.parse("--share-retention-days", "7")).hasMessage("--share-retention-days is used only with --database");
        assertThatThrownBy(() -> PoolConfig.parse("--mode", "pool", "--payout-address", PoolMain.DEMO_ADDRESS, "--pool-fee", "1"))
                .hasMessage("--pool-fee is used only with --payout-scheme pplns-coinbase (pool mode with --database)");
        assertThatThrownBy(() -> PoolConfig.parse("--alert-offline-minutes", "5")).hasMessage("--alert-offline-minutes is used only with"
                + " --alert-webhook");
    }

    @Test
    void defaultsServeTheDemoChainSoloOnPort3333() throws ConfigException {
        PoolConfig c = PoolConfig.parse();
        assertThat(c.chain()).isEqualTo(PoolConfig.Chain.DEMO);
        assertThat(c.mode()).isEqualTo(PoolConfig.Mode.SOLO);
        assertThat(c.ports()).containsExactly(new PoolConfig.Port(3333, null));
        assertThat(c.difficulty).isEqualTo(Difficulty.of("0.001"));
        assertThat(c.vardiff).isTrue();
    }

    @Test
    void portsAreRepeatableOrListedWithTheirOwnDifficulty() throws ConfigException {
        PoolConfig c = PoolConfig.parse("--port", "3333", "--port=4444:65536,5555:0.5", "--vardiff", "off");
        assertThat(c.ports()).containsExactly(new PoolConfig.Port(3333, null), new PoolConfig.Port(4444, Difficulty.of(65536)),
                new PoolConfig.Port(5555, Difficulty.of("0.5")));
        assertThat(c.vardiff).isFalse();
    }

    @Test
    void connectionLimitsAndLoopsAreSettings() throws ConfigException {
        PoolConfig defaults = PoolConfig.parse();
        assertThat(defaults.maxConnections).isEqualTo(100_000);
        assertThat(defaults.maxConnectionsPerAddress).isEqualTo(1000);
        assertThat(defaults.eventLoops).isNull();
        assertThat(defaults.banThreshold).isEqualTo(100);
        assertThat(defaults.statsBind.isLoopbackAddress()).as("stats stay private unless asked").isTrue();
        assertThat(PoolConfig.parse("--stats-port", "8080", "--stats-bind", "0.0.0.0").statsBind.isAnyLocalAddress()).isTrue();
        assertThat(PoolConfig.parse("--ban-threshold", "0").banThreshold).isZero();
        PoolConfig c = PoolConfig.parse("--max-connections", "20000", "--max-connections-per-address", "20000", "--event-loops", "3");
        assertThat(c.maxConnections).isEqualTo(20_000);
        assertThat(c.maxConnectionsPerAddress).isEqualTo(20_000);
        assertThat(c.eventLoops).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--frob                                  | unknown option --frob (see --help)",
        "--port                                  | --port needs a value: PORT[:DIFF],…",
        "--port 70000                            | --port 70000: a port is a number 1..65535",
        "--port 3333:-1                          | --port 3333:-1: a difficulty is a positive number",
        "--chain litecoin                        | --chain litecoin: use demo or bitcoind",
        "--mode pool                             | --mode pool needs --payout-address",
        "--payout-address bcrt1q                 | --payout-address is for --mode pool",
        "--vardiff maybe                         | --vardiff maybe: use on or off",
        "--vardiff-min 10 --vardiff-max 1        | --vardiff-min 10 is above --vardiff-max 1",
        "--tls-port 3334                         | --tls-port needs --tls-cert and --tls-key",
        "--chain bitcoind                        | --chain bitcoind needs --rpc-cookie, or --rpc-user and --rpc-password",
        "--chain bitcoind --rpc-cookie c --rpc-user u --rpc-password p | give either --rpc-cookie or --rpc-user",
        "--rpc-url ftp://x                       | --rpc-url ftp://x must be an http:// URL",
        "--instance-id 300                       | --instance-id 300: expected a whole number 0..255",
        "--instance-id 1.5                       | --instance-id 1.5: expected a whole number 0..255",
        "--reconnect-address pool.example.com    | --reconnect-address pool.example.com: expected HOST:PORT",
        "--reconnect-address :3333               | --reconnect-address :3333: expected HOST:PORT",
        "--reconnect-address pool.example.com:0  | --reconnect-address 0: expected a whole number 1..65535",
        "--max-connections 0                     | --max-connections 0: expected a whole number 1..10000000",
        "--max-connections-per-address lots      | --max-connections-per-address lots: expected a whole number 1..10000000",
        "--event-loops 300                       | --event-loops 300: expected a whole number 1..256",
        "--ban-threshold -1                      | --ban-threshold -1: expected a whole number 0..1000000",
        "--stats-bind 0.0.0.0                    | --stats-bind is used only with --stats-port",
        "--demo-network-difficulty 2             | --demo-network-difficulty 2 is above 1",
        "--port 3333 --stats-port 3333           | port 3333 is given twice",
        "--proxy-protocol=yes                    | --proxy-protocol takes no value",
        "stray                                   | unexpected argument 'stray'",
        "--chain demo --chain bitcoind           | --chain is given 2 times; it takes one value",
    })
    void mistakesAreOneSentence(String args, String message) {
        assertThatThrownBy(() -> PoolConfig.parse(args.split(" +"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message.strip());
    }

    @Test
    void aConfigFileIsReadAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pool.conf");
        Files.writeString(file, "# example\nport = 4000:8\nmode = pool\npayout-address = " + PoolMain.DEMO_ADDRESS + "\nvardiff = off\n");
        PoolConfig c = PoolConfig.parse("--config", file.toString(), "--vardiff", "on");
        assertThat(c.ports()).containsExactly(new PoolConfig.Port(4000, Difficulty.of(8)));
        assertThat(c.mode()).isEqualTo(PoolConfig.Mode.POOL);
        assertThat(c.vardiff).isTrue();
        Files.writeString(file, "prot = 4000\n");
        assertThatThrownBy(() -> PoolConfig.parse("--config", file.toString())).hasMessage("unknown option --prot in " + file + " (see --help)");
        assertThatThrownBy(() -> PoolConfig.parse("--config", dir.resolve("missing.conf").toString()))
                .hasMessageContaining("cannot read config file");
    }

    @Test
    void startupProblemsAreSentencesToo() throws Exception {
        assertThatThrownBy(() -> ExamplePool.start(PoolConfig.parse("--mode", "pool", "--payout-address",
                "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", "--port", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a regtest address");
        assertThatThrownBy(() -> ExamplePool.start(PoolConfig.parse("--chain", "bitcoind", "--rpc-url", "http://127.0.0.1:1/",
                "--rpc-user", "u", "--rpc-password", "p", "--port", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Bitcoin Core at http://127.0.0.1:1/ cannot be used");
        assertThatThrownBy(() -> ExamplePool.start(PoolConfig.parse("--tls-port", "0", "--tls-cert", "/nonexistent.pem",
                "--tls-key", "/nonexistent.key", "--port", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read TLS certificate file /nonexistent.pem");
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0)) {
            assertThatThrownBy(() -> ExamplePool.start(PoolConfig.parse("--port", String.valueOf(busy.getLocalPort()))))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("cannot listen on");
        }
        assertThat(PoolConfig.help()).contains("--demo-network-difficulty DIFF").contains("(default: 0.05)");
        assertThat(org.stratum4j.core.bitcoin.Address.parse(PoolMain.DEMO_ADDRESS, org.stratum4j.core.bitcoin.Network.REGTEST)).isNotNull();
    }
}
