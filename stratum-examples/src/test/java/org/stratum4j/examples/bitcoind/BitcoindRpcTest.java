package org.stratum4j.examples.bitcoind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.job.BlockTemplate;

/** The RPC adapter against a fake node: auth, templates, long poll, submitblock and every fault. */
class BitcoindRpcTest {

    private static final String TEMPLATE = gbtOfPublicPoolVector();

    private FakeBitcoind node;

    @BeforeEach
    void start() throws IOException {
        node = new FakeBitcoind();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** The "gbt" object of the first vector of gbt.json, cut out of the file's text. */
    private static String gbtOfPublicPoolVector() {
        try (InputStream in = BitcoindRpcTest.class.getResourceAsStream("/vectors/gbt.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = text.indexOf('{', text.indexOf("\"gbt\""));
            int depth = 0;
            for (int i = start; ; i++) {
                char c = text.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return text.substring(start, i + 1);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private BitcoindRpc rpc(RpcAuth auth) {
        return BitcoindRpc.builder(node.url(), auth).requestTimeout(Duration.ofSeconds(10)).build();
    }

    private BitcoindRpc rpc() {
        return rpc(RpcAuth.password("user", "pass"));
    }

    @Test
    void getBlockTemplateAsksForSegwitAndParsesTheResult() throws Exception {
        node.script = body -> FakeBitcoind.Answer.result(TEMPLATE);
        BlockTemplate t = rpc().getBlockTemplate();
        assertThat(t.height()).isEqualTo(2442185);
        assertThat(t.transactions()).hasSize(5);
        assertThat(t.longPollId()).isPresent();
        assertThat(node.requests.get(0)).contains("\"method\":\"getblocktemplate\"")
                .contains("\"params\":[{\"rules\":[\"segwit\"]}]");
    }

    @Test
    void getBlockHeaderSaysWhereABlockStandsAndEmptyForAnUnknownOne() throws Exception {
        // As Bitcoin Core 27 answers getblockheader (fields trimmed): on the main chain, then off it, then unknown.
        String hash = "0000000000000000000320283a032748cef8227873ff4872689bf23f1cda83a5";
        node.script = body -> FakeBitcoind.Answer.result("{\"hash\":\"" + hash + "\",\"confirmations\":12,\"height\":800000,"
                + "\"version\":536870912,\"nTx\":3721,\"previousblockhash\":\"00000000000000000002a0b5db2a7f8d9087464c2586b546be7bce8eb53b8187\"}");
        assertThat(rpc().getBlockHeader(Sha256Hash.fromDisplayHex(hash))).contains(new org.stratum4j.examples.store.BlockLookup.BlockState(800000, 12));
        assertThat(node.requests.get(0)).contains("\"method\":\"getblockheader\"").contains("\"params\":[\"" + hash + "\",true]");
        node.script = body -> FakeBitcoind.Answer.result("{\"hash\":\"" + hash + "\",\"confirmations\":-1,\"height\":800000}");
        assertThat(rpc().getBlockHeader(Sha256Hash.fromDisplayHex(hash))).hasValueSatisfying(s -> assertThat(s.onMainChain()).isFalse());
        node.script = body -> FakeBitcoind.Answer.error(500, -5, "Block not found");
        assertThat(rpc().getBlockHeader(Sha256Hash.fromDisplayHex(hash))).isEmpty();
    }

    @Test
    void wrongPasswordIsUnauthorized() {
        assertThatThrownBy(() -> rpc(RpcAuth.password("user", "nope")).getBlockchainInfo())
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RpcException.Kind.UNAUTHORIZED);
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("refused the credentials");
                });
    }

    @Test
    void cookieIsReadAndReReadAfterTheNodeRestarts(@TempDir Path dir) throws Exception {
        Path cookie = dir.resolve(".cookie");
        Files.writeString(cookie, "__cookie__:aaaa\n");
        node.acceptedCredentials = "__cookie__:aaaa";
        node.script = body -> FakeBitcoind.Answer.result("null");
        BitcoindRpc rpc = rpc(RpcAuth.cookie(cookie));
        assertThat(rpc.submitBlock(new byte[] {1})).isEmpty();
        // The node restarts with a new cookie: the first request is refused, the re-read one passes.
        Files.writeString(cookie, "__cookie__:bbbb");
        node.acceptedCredentials = "__cookie__:bbbb";
        assertThat(rpc.submitBlock(new byte[] {1})).isEmpty();
        assertThat(node.requests).hasSize(3);
    }

    @Test
    void missingCookieFileSaysWhere(@TempDir Path dir) {
        Path cookie = dir.resolve("regtest/.cookie");
        assertThatThrownBy(() -> rpc(RpcAuth.cookie(cookie)).getBlockchainInfo())
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RpcException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("cannot read the node's cookie file").contains(cookie.toString());
                });
    }

    @Test
    void longPollWaitsForTheNodeAndSendsTheId() throws Exception {
        CountDownLatch newBlock = new CountDownLatch(1);
        node.script = body -> {
            newBlock.await();
            return FakeBitcoind.Answer.result(TEMPLATE);
        };
        CompletableFuture<BlockTemplate> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return rpc().waitForNewTemplate("abc123");
            } catch (RpcException e) {
                throw new IllegalStateException(e);
            }
        });
        while (node.requests.isEmpty()) {
            Thread.sleep(5);
        }
        assertThat(waiting).isNotDone();
        assertThat(node.requests.get(0)).contains("\"longpollid\":\"abc123\"").contains("\"rules\":[\"segwit\"]");
        newBlock.countDown();
        assertThat(waiting.get(10, TimeUnit.SECONDS).height()).isEqualTo(2442185);
    }

    @Test
    void longPollThatOutlastsItsDeadlineIsATimeout() {
        CountDownLatch never = new CountDownLatch(1);
        node.script = body -> {
            never.await();
            return FakeBitcoind.Answer.result(TEMPLATE);
        };
        BitcoindRpc rpc = BitcoindRpc.builder(node.url(), RpcAuth.password("user", "pass"))
                .longPollTimeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> rpc.waitForNewTemplate("x")).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.kind()).isEqualTo(RpcException.Kind.TIMEOUT));
    }

    @Test
    void submitBlockReturnsTheNodesReason() throws Exception {
        node.script = body -> FakeBitcoind.Answer.result(body.contains("\"params\":[\"00ff\"]") ? "\"high-hash\"" : "null");
        assertThat(rpc().submitBlock(new byte[] {0, (byte) 0xff})).contains("high-hash");
        assertThat(rpc().submitBlock(new byte[] {1})).isEmpty();
        assertThat(node.requests.get(0)).contains("\"method\":\"submitblock\"");
    }

    @Test
    void chainInfoAndNetworkCheck() throws Exception {
        node.script = body -> FakeBitcoind.Answer.result("{\"chain\":\"test\",\"blocks\":2442184,\"headers\":2442184,"
                + "\"bestblockhash\":\"00000000000000022246451e9af7ac4f8bff2527d223f6e623740e92171592f2\","
                + "\"initialblockdownload\":false,\"softforks\":{\"x\":[1,2]}}");
        ChainInfo info = rpc().checkNetwork(Network.TEST);
        assertThat(info.blocks()).isEqualTo(2442184);
        assertThat(info.initialBlockDownload()).isFalse();
        assertThatThrownBy(() -> rpc().checkNetwork(Network.MAIN)).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.kind()).isEqualTo(RpcException.Kind.BAD_RESPONSE);
            assertThat(e.getMessage()).contains("is on chain \"test\"").contains("payout address is for main");
        });
    }

    @Test
    void nodeErrorsCarryTheirCode() {
        node.script = body -> FakeBitcoind.Answer.error(500, -10, "Bitcoin Core is in initial sync and waiting for blocks...");
        assertThatThrownBy(() -> rpc().getBlockTemplate()).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.kind()).isEqualTo(RpcException.Kind.NODE_ERROR);
            assertThat(e.rpcCode()).isEqualTo(-10);
            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.getMessage()).contains("initial sync");
        });
        node.script = body -> FakeBitcoind.Answer.error(404, -32601, "Method not found");
        assertThatThrownBy(() -> rpc().getBlockTemplate()).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.rpcCode()).isEqualTo(-32601));
    }

    @Test
    void garbageAndHttpErrorsAreTyped() {
        node.script = body -> new FakeBitcoind.Answer(500, "<html>Internal Server Error</html>");
        assertThatThrownBy(() -> rpc().getBlockTemplate()).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.kind()).isEqualTo(RpcException.Kind.HTTP_STATUS);
            assertThat(e.httpStatus()).isEqualTo(500);
        });
        node.script = body -> new FakeBitcoind.Answer(200, "<html>hello</html>");
        assertThatThrownBy(() -> rpc().getBlockTemplate()).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.kind()).isEqualTo(RpcException.Kind.BAD_RESPONSE));
        node.script = body -> new FakeBitcoind.Answer(200, "{\"error\":null,\"id\":1}");
        assertThatThrownBy(() -> rpc().getBlockTemplate()).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.getMessage()).contains("sent no result"));
        node.script = body -> FakeBitcoind.Answer.result(TEMPLATE.replace("\"bits\"", "\"bitz\""));
        assertThatThrownBy(() -> rpc().getBlockTemplate()).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.kind()).isEqualTo(RpcException.Kind.BAD_RESPONSE);
            assertThat(e.getMessage()).contains("template is missing bits");
        });
        node.script = body -> FakeBitcoind.Answer.result("\"" + "a".repeat(5000) + "\"");
        BitcoindRpc small = BitcoindRpc.builder(node.url(), RpcAuth.password("user", "pass")).maxResponseBytes(2048).build();
        assertThatThrownBy(() -> small.submitBlock(new byte[1])).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.kind()).isEqualTo(RpcException.Kind.BAD_RESPONSE);
            assertThat(e.getMessage()).contains("sent more than 2048 bytes");
        });
    }

    @Test
    void slowNodeIsATimeoutNotAHang() {
        node.script = body -> {
            Thread.sleep(5_000);
            return FakeBitcoind.Answer.result("null");
        };
        BitcoindRpc rpc = BitcoindRpc.builder(node.url(), RpcAuth.password("user", "pass"))
                .requestTimeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> rpc.submitBlock(new byte[1])).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.kind()).isEqualTo(RpcException.Kind.TIMEOUT));
    }

    @Test
    void refusedConnectionIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        BitcoindRpc rpc = BitcoindRpc.builder(URI.create("http://127.0.0.1:" + port + "/"), RpcAuth.password("u", "p")).build();
        assertThatThrownBy(rpc::getBlockTemplate).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.kind()).isEqualTo(RpcException.Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains("cannot connect");
        });
    }

    @Test
    void connectionCutMidBodyIsUnreachable() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    in.read(buf);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"result\":")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // the test asserts on the client side
                }
            });
            t.start();
            BitcoindRpc rpc = BitcoindRpc.builder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
                    RpcAuth.password("u", "p")).requestTimeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(rpc::getBlockTemplate).isInstanceOfSatisfying(RpcException.class,
                    e -> assertThat(e.kind()).isEqualTo(RpcException.Kind.UNREACHABLE));
            t.join();
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> BitcoindRpc.builder(URI.create("https://node:8332/"), RpcAuth.password("u", "p")))
                .hasMessageContaining("must be http://host:port/");
        assertThatThrownBy(() -> RpcAuth.password("a:b", "p")).hasMessageContaining("contain no ':'");
        assertThatThrownBy(() -> BitcoindRpc.builder(node.url(), RpcAuth.password("u", "p")).requestTimeout(Duration.ZERO))
                .hasMessageContaining("requestTimeout must be positive");
    }
}
