package org.stratum4j.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.engine.ShareSink;

/** The dashboard against clients that send half a request and hold on, and against odd paths. */
class WebServerHostileTest {

    @Test
    void clientsThatNeverFinishTheirRequestDoNotStopOthersForLong() throws Exception {
        // The surefire configuration sets these for the test JVM; the pool sets them with boundRequestTimes().
        WebServer.boundRequestTimes();
        assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("10");
        MemoryDashboard source = new MemoryDashboard(Clock.systemUTC(), ShareSink.discard());
        try (WebServer web = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), source, Clock.systemUTC(),
                "t")) {
            List<Socket> slow = new ArrayList<>();
            try {
                // More half-requests than the server has threads.
                for (int i = 0; i < 12; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), web.address().getPort());
                    OutputStream out = s.getOutputStream();
                    out.write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(s);
                }
                HttpClient http = HttpClient.newHttpClient();
                URI home = URI.create("http://127.0.0.1:" + web.address().getPort() + "/api/pool");
                CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(home)
                        .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
                // The half-requests are dropped after 10 s, and the honest one is answered.
                HttpResponse<String> r = answer.get(45, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"hashrate_hs\"");
                HttpResponse<String> odd = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.address().getPort()
                        + "/miner/%3Cscript%3E")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(odd.statusCode()).isEqualTo(404);
                assertThat(odd.body()).doesNotContain("<script>");
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(home).POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(post.statusCode()).isEqualTo(405);
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }
}
