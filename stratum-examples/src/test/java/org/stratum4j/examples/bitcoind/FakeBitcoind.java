package org.stratum4j.examples.bitcoind;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A JSON-RPC server on loopback that answers like Bitcoin Core, scripted by the test. */
final class FakeBitcoind implements AutoCloseable {

    /** What to answer to one request. */
    record Answer(int status, String body) {
        static Answer result(String resultJson) {
            return new Answer(200, "{\"result\":" + resultJson + ",\"error\":null,\"id\":1}");
        }

        static Answer error(int status, int code, String message) {
            return new Answer(status, "{\"result\":null,\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"},\"id\":1}");
        }
    }

    /** Answer nothing and drop the connection (a node that dies mid-call, a cut long poll). */
    static final Answer CUT = new Answer(0, "");

    /** The test's script: request body in, answer out; may block (long poll). */
    @FunctionalInterface
    interface Script {
        Answer answer(String requestBody) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-bitcoind");
        t.setDaemon(true);
        return t;
    });
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile String acceptedCredentials = "user:pass";
    volatile Script script = body -> Answer.result("null");

    FakeBitcoind() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(body);
            String expected = "Basic " + Base64.getEncoder().encodeToString(acceptedCredentials.getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            Answer a;
            try {
                a = script.answer(body);
            } catch (Exception e) {
                a = new Answer(500, "script failed: " + e);
            }
            if (a == CUT) {
                return; // closes the exchange without an answer: the connection ends mid-call
            }
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(a.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException e) {
            // The client went away (timeout tests); nothing to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
