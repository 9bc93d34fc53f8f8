package org.stratum4j.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stratum4j.transport.nio.TlsConfigTest.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.Response;

/**
 * TLS listeners over loopback. The server is checked with the JDK's own blocking {@code SSLSocket}
 * (an implementation independent of our non-blocking wire) and with {@link StratumClient}.
 */
class TlsTest {

    PoolEngine engine;
    StratumServer server;
    InetSocketAddress plain;
    InetSocketAddress secure;
    Announcement job;

    @BeforeEach
    void start() throws IOException {
        engine = ServerTest.engine(b -> { });
        InetAddress lo = InetAddress.getLoopbackAddress();
        server = StratumServer.builder(engine)
                .listen(new InetSocketAddress(lo, 0))
                .listen(Listener.on(new InetSocketAddress(lo, 0)).withTls(TlsConfig.fromPem(tls("pool-cert.pem"), tls("pool-key.pem"))))
                .eventLoops(2).socketSendBuffer(16 * 1024).subscribeTimeout(Duration.ofSeconds(1)).tickInterval(Duration.ofMillis(100)).build();
        server.start();
        plain = server.boundAddresses().get(0);
        secure = server.boundAddresses().get(1);
        job = engine.newTemplate(ServerTest.template(1));
        server.announce(job);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static SSLContext trustingThePool() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(tls("pool-cert.pem"))) {
            store.setCertificateEntry("pool", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A JDK SSLSocket, name-checked, over {@code under} (already connected) or a new socket. */
    static SSLSocket jdkTls(InetSocketAddress at, Socket under, String protocol) throws Exception {
        SSLContext context = trustingThePool();
        SSLSocket s;
        if (under == null) {
            s = (SSLSocket) context.getSocketFactory().createSocket();
            s.connect(at, 5000);
        } else {
            s = (SSLSocket) context.getSocketFactory().createSocket(under, at.getHostString(), at.getPort(), true);
        }
        s.setEnabledProtocols(new String[] {protocol});
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Sends one share that meets the target and one that does not; checks both verdicts. */
    static void minesOneShare(LineClient c, byte[] en1, Job job) throws IOException {
        byte[] en2 = new byte[8];
        en2[0] = (byte) new Random().nextInt();
        c.sendLine(ServerTest.submit(job, Hex.encode(en2), ServerTest.nonce(job, en1, en2, true)));
        assertThat(c.response().isTrue()).isTrue();
        c.sendLine(ServerTest.submit(job, Hex.encode(en2), ServerTest.nonce(job, en1, en2, false)));
        assertThat(c.response().error().code()).isEqualTo(23);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aJdkTlsMinerMinesWithRecordsOfEverySize(String protocol) throws Exception {
        try (LineClient c = new LineClient(jdkTls(secure, null, protocol))) {
            // One byte per write: every byte is its own TLS record.
            for (byte b : "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"tls\"]}\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
                c.socket().getOutputStream().write(b);
            }
            byte[] en1 = Hex.decode(c.response().result().toString().replaceAll(".*Str\\[value=([0-9a-f]{8})\\].*", "$1"));
            assertThat(((SSLSocket) c.socket()).getSession().getProtocol()).isEqualTo(protocol);
            // 300 requests in one write: about 30 KB, more than one record in and out.
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                burst.append("{\"id\":").append(100 + i).append(",\"method\":\"mining.authorize\",\"params\":[\"w1\",\"x\"]}\n");
            }
            c.send(burst.toString());
            for (int i = 0; i < 300; i++) {
                Response r = c.response();
                assertThat(r.id().toString()).isEqualTo(String.valueOf(100 + i));
                assertThat(r.isTrue()).isTrue();
            }
            minesOneShare(c, en1, job.job());
        }
    }

    @Test
    void jobsThatPileUpWhileAMinerIsBusyArriveWholeAndInOrder() throws Exception {
        Socket under = new Socket();
        under.setReceiveBufferSize(4096);
        under.connect(secure, 5000);
        try (LineClient c = new LineClient(jdkTls(secure, under, "TLSv1.3"))) {
            ServerTest.ready(c);
            // ~500 KB of notifies while the miner reads nothing: the socket fills, TLS records wait half sent. The jobs
            // are on one tip (not clean), so none replaces the ones before it.
            Announcement last = null;
            for (int i = 0; i < 1000; i++) {
                last = engine.newTemplate(ServerTest.template(1));
                server.announce(last);
            }
            Thread.sleep(200);
            Notify n;
            int received = 0;
            do {
                n = c.next(Notify.class);
                received++;
            } while (!n.jobId().equals(last.job().id()));
            assertThat(received).isGreaterThanOrEqualTo(1000);
            c.sendLine("{\"id\":9,\"method\":\"mining.authorize\",\"params\":[\"w2\",\"x\"]}");
            assertThat(c.response().isTrue()).isTrue();
        }
        assertThat(server.metrics().closesByReason()).doesNotContainKey("slow reader");
    }

    @Test
    void hostilePeersOnTheTlsPortAreClosedWhileAnHonestMinerKeepsMining() throws Exception {
        try (LineClient honest = new LineClient(jdkTls(secure, null, "TLSv1.3"))) {
            byte[] en1 = ServerTest.ready(honest);

            try (LineClient plainText = new LineClient(secure)) {
                plainText.sendLine("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}");
                assertThat(plainText.closedByServer()).isTrue();
            }
            try (Socket garbage = new Socket()) {
                garbage.connect(secure, 5000);
                byte[] noise = new byte[2000];
                new Random(7).nextBytes(noise);
                noise[0] = 0x16; // a handshake record header, then nonsense
                noise[1] = 0x03;
                noise[2] = 0x01;
                noise[3] = 0x00;
                noise[4] = 0x40;
                garbage.getOutputStream().write(noise);
                assertThat(new LineClient(garbage).closedByServer()).isTrue();
            }
            try (Socket stalled = new Socket()) {
                // Half a ClientHello, then silence: the handshake never finishes, the subscribe timeout closes it.
                stalled.connect(secure, 5000);
                stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
                assertThat(new LineClient(stalled).closedByServer()).isTrue();
            }
            // A miner whose link drops in the middle of a line, inside a TLS record stream: a reset, no close_notify.
            Socket under = new Socket();
            under.connect(secure, 5000);
            SSLSocket cut = jdkTls(secure, under, "TLSv1.3");
            OutputStream out = cut.getOutputStream();
            out.write("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n{\"id\":2,\"method\":\"mining.auth".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            under.setSoLinger(true, 0);
            under.close();

            // A client that trusts another certificate gives up in the handshake, from the pool's side an alert or EOF.
            try (ClientGroup group = ClientGroup.start(1)) {
                assertThatThrownBy(() -> group.connect(secure, ClientTls.trusting(tls("other-cert.pem")), new ClientServerTest.Recorder())
                        .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("TLS handshake failed");
            }

            await(() -> server.metrics().openConnections() == 1, "only the honest miner to remain; closes "
                    + server.metrics().closesByReason());
            assertThat(server.metrics().closesByReason()).containsKeys("plain text on TLS port", "TLS handshake failed",
                    "no subscribe within 1 s");
            minesOneShare(honest, en1, job.job());
        }
    }

    @Test
    void ourClientMinesOverTlsAndRefusesPoolsItCannotVerify() throws Exception {
        try (ClientGroup group = ClientGroup.start(1)) {
            ClientServerTest.Recorder r = new ClientServerTest.Recorder();
            StratumClient c = ClientServerTest.get(group.connect(secure, ClientTls.trusting(tls("pool-cert.pem")), r));
            StratumClient.Subscription sub = ClientServerTest.get(c.subscribe("tls-client"));
            Notify n = r.jobs.poll(10, TimeUnit.SECONDS);
            assertThat(n.jobId()).isEqualTo(job.job().id());
            assertThat(ClientServerTest.get(c.authorize("w1", "x")).isTrue()).isTrue();
            byte[] en2 = new byte[8];
            long good = ServerTest.nonce(job.job(), sub.extranonce1(), en2, true);
            assertThat(ClientServerTest.get(c.submit("w1", n.jobId(), en2, n.ntime(), (int) good)).isTrue()).isTrue();
            server.announce(engine.newTemplate(ServerTest.template(2)));
            assertThat(r.jobs.poll(10, TimeUnit.SECONDS).cleanJobs()).isTrue();
            c.close();
            assertThat(r.closed.get(10, TimeUnit.SECONDS)).isEqualTo("closed by client");

            // The certificate names localhost and 127.0.0.1, not this name: refused even though it is trusted.
            assertThatThrownBy(() -> ClientServerTest.get(group.connect(secure,
                    ClientTls.trusting(tls("pool-cert.pem")).withServerName("pool.example.org"), new ClientServerTest.Recorder())))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("TLS handshake failed");
            // The pool's self-signed certificate is not in the JDK's trust store.
            assertThatThrownBy(() -> ClientServerTest.get(group.connect(secure, ClientTls.systemTrust(), new ClientServerTest.Recorder())))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("TLS handshake failed");
            // Trust-all still encrypts and works, for tools on loopback.
            StratumClient loose = ClientServerTest.get(group.connect(secure, ClientTls.insecureTrustAll(), new ClientServerTest.Recorder()));
            assertThat(ClientServerTest.get(loose.subscribe("loadgen")).extranonce2Size()).isEqualTo(8);
            // A TLS client at a plain port fails its handshake too, rather than hanging.
            assertThatThrownBy(() -> ClientServerTest.get(group.connect(plain, ClientTls.insecureTrustAll(), new ClientServerTest.Recorder())))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    /** A server whose key manager records the threads that use the private key (inside the handshake's tasks). */
    static TlsConfig recordingKeyUse(java.util.Set<String> threads) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls("pool.p12"))) {
            store.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
        kmf.init(store, "changeit".toCharArray());
        javax.net.ssl.X509ExtendedKeyManager real = (javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        javax.net.ssl.X509ExtendedKeyManager recording = new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return real.getClientAliases(keyType, issuers);
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, Socket socket) {
                return real.chooseClientAlias(keyType, issuers, socket);
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return real.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, Socket socket) {
                return real.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public String chooseEngineServerAlias(String keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
                return real.chooseEngineServerAlias(keyType, issuers, engine);
            }

            @Override
            public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
                return real.getCertificateChain(alias);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
                threads.add(Thread.currentThread().getName());
                return real.getPrivateKey(alias);
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {recording}, null, null);
        return TlsConfig.of(context);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void handshakeComputationsRunOffTheLoopsUnlessToldOtherwise(int handshakeThreads) throws Exception {
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        StratumServer s = StratumServer.builder(engine).tlsHandshakeThreads(handshakeThreads)
                .listen(Listener.on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).withTls(recordingKeyUse(threads)))
                .eventLoops(1).build();
        s.start();
        try {
            s.announce(job);
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                try (LineClient c = new LineClient(jdkTls(s.boundAddresses().get(0), null, protocol))) {
                    minesOneShare(c, ServerTest.ready(c), job.job());
                }
            }
        } finally {
            s.close();
        }
        assertThat(threads).isNotEmpty().allMatch(t -> t.startsWith(handshakeThreads == 0 ? "stratum-loop-" : "stratum-tls-"));
    }

    @Test
    void aProxyHeaderPrecedesTheTlsHandshake() throws Exception {
        StratumServer proxied = StratumServer.builder(engine)
                .listen(Listener.on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).withProxyProtocol(true)
                        .withTls(TlsConfig.fromPem(tls("pool-cert.pem"), tls("pool-key.pem"))))
                .eventLoops(1).build();
        proxied.start();
        try {
            InetSocketAddress at = proxied.boundAddresses().get(0);
            proxied.announce(job);
            Socket under = new Socket();
            under.connect(at, 5000);
            under.getOutputStream().write("PROXY TCP4 203.0.113.7 192.0.2.1 40000 3333\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try (LineClient c = new LineClient(jdkTls(at, under, "TLSv1.3"))) {
                byte[] en1 = ServerTest.ready(c);
                minesOneShare(c, en1, job.job());
            }
        } finally {
            proxied.close();
        }
    }
}
