package org.stratum4j.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.BlockValidator;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.sv2.Sv2Codec;
import org.stratum4j.core.sv2.Sv2Message;
import org.stratum4j.core.sv2.Sv2Message.NewMiningJob;
import org.stratum4j.core.sv2.Sv2Message.OpenStandardMiningChannelSuccess;
import org.stratum4j.core.sv2.Sv2Message.SetNewPrevHash;
import org.stratum4j.core.sv2.Sv2Message.SetupConnection;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesError;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesStandard;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesSuccess;
import org.stratum4j.core.sv2.noise.NoiseInitiator;
import org.stratum4j.core.sv2.noise.NoiseSession;
import org.stratum4j.core.sv2.noise.Secp256k1KeyPair;
import org.stratum4j.core.sv2.noise.ServerIdentity;

/** Sv2Client ⇄ StratumServer (a V2 port beside a V1 port) ⇄ one engine over loopback, and hostile V2 peers. */
class Sv2ServerTest {

    final SecureRandom random = new SecureRandom();
    final Secp256k1KeyPair authority = Secp256k1KeyPair.generate(random);
    final ServerIdentity identity = ServerIdentity.issue(authority, System.currentTimeMillis() / 1000 - 60, 3600, random);
    final LinkedBlockingQueue<byte[]> blocks = new LinkedBlockingQueue<>();
    PoolEngine engine;
    StratumServer server;
    ClientGroup clients;
    InetSocketAddress v1;
    InetSocketAddress v2;

    @BeforeEach
    void start() throws IOException {
        engine = ServerTest.engine(b -> blocks.add(b.block()));
        InetAddress lo = InetAddress.getLoopbackAddress();
        server = StratumServer.builder(engine).listen(new InetSocketAddress(lo, 0))
                .listen(Listener.on(new InetSocketAddress(lo, 0)).withStratumV2(() -> identity))
                .subscribeTimeout(Duration.ofSeconds(1)).tickInterval(Duration.ofMillis(200)).eventLoops(2).build();
        server.start();
        v1 = server.boundAddresses().get(0);
        v2 = server.boundAddresses().get(1);
        clients = ClientGroup.start(1);
    }

    @AfterEach
    void stop() {
        clients.close();
        server.close();
    }

    /** Keeps what the pool pushes. */
    static final class Recorder implements Sv2Client.Listener {
        final LinkedBlockingQueue<Sv2Message> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void onMessage(Sv2Client client, Sv2Message message) {
            messages.add(message);
        }

        @Override
        public void onClosed(Sv2Client client, String reason) {
            closed.complete(reason);
        }

        <T extends Sv2Message> T next(Class<T> type) throws InterruptedException {
            Sv2Message m = messages.poll(10, TimeUnit.SECONDS);
            assertThat(m).isInstanceOf(type);
            return type.cast(m);
        }
    }

    /** Waits for the server to count a close for {@code reason} (the peer may see the close first). */
    private void closedFor(String reason) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.metrics().closesByReason().containsKey(reason) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.metrics().closesByReason()).containsKey(reason);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    static SetupConnection setup() {
        return new SetupConnection(0, 2, 2, Sv2Message.REQUIRES_STANDARD_JOBS, "127.0.0.1", 3336, "stratum4j-test", "cpu", "1", "");
    }

    static byte[] header(int version, Sha256Hash prev, Sha256Hash root, int ntime, int bits, int nonce) {
        byte[] h = new byte[80];
        LittleEndian.writeInt32(h, 0, version);
        prev.copyInternalBytesTo(h, 4);
        root.copyInternalBytesTo(h, 36);
        LittleEndian.writeInt32(h, 68, ntime);
        LittleEndian.writeInt32(h, 72, bits);
        LittleEndian.writeInt32(h, 76, nonce);
        return h;
    }

    @Test
    void aV2MinerMinesBesideAV1MinerAndItsBlockIsValid() throws Exception {
        BlockTemplate template = ServerTest.template(1);
        Announcement a = engine.newTemplate(template);
        server.announce(a);
        ClientServerTest.Recorder r1 = new ClientServerTest.Recorder();
        StratumClient c1 = get(clients.connect(v1, r1));
        get(c1.subscribe("cpuminer/2.5.1"));
        Notify n = r1.jobs.poll(10, TimeUnit.SECONDS);
        assertThat(n.jobId()).isEqualTo(a.job().id());

        Recorder r = new Recorder();
        Sv2Client c = get(clients.connectV2(v2, authority.publicKey(), r));
        assertThat(c.serverKey()).isEqualTo(identity.staticKey().publicKey());
        assertThat(get(c.setup(setup())).usedVersion()).isEqualTo(2);
        OpenStandardMiningChannelSuccess open = get(c.openStandardChannel("w2", 0f, Target.MAX));
        NewMiningJob job = r.next(NewMiningJob.class);
        SetNewPrevHash prev = r.next(SetNewPrevHash.class);
        assertThat(prev.prevHash()).isEqualTo(template.previousBlockHash());

        Target share = open.target();
        Target network = a.job().networkTarget();
        int good = -1;
        int block = -1;
        for (int nonce = 0; good < 0 || block < 0; nonce++) {
            byte[] hash = Sha256.hashTwice(header(job.version(), prev.prevHash(), job.merkleRoot(), prev.minNtime(), prev.nbits(), nonce), 0, 80);
            if (good < 0 && share.isMetBy(hash, 0) && !network.isMetBy(hash, 0)) {
                good = nonce;
            }
            if (block < 0 && network.isMetBy(hash, 0)) {
                block = nonce;
            }
        }
        int ch = open.channelId();
        assertThat(get(c.submit(new SubmitSharesStandard(ch, 1, job.jobId(), good, prev.minNtime(), job.version()))))
                .isEqualTo(new SubmitSharesSuccess(ch, 1, 1, 0));
        assertThat(get(c.submit(new SubmitSharesStandard(ch, 2, job.jobId(), good, prev.minNtime(), job.version()))))
                .isEqualTo(new SubmitSharesError(ch, 2, "duplicate-share"));
        assertThat(get(c.submit(new SubmitSharesStandard(ch, 3, job.jobId(), block, prev.minNtime(), job.version()))))
                .isInstanceOf(SubmitSharesSuccess.class);
        byte[] found = blocks.poll(10, TimeUnit.SECONDS);
        assertThat(BlockValidator.validate(found, template, template.curTime())).isEmpty();

        // A new tip reaches both: a clean notify for V1, a future job and SetNewPrevHash for V2.
        Announcement next = engine.newTemplate(ServerTest.template(2));
        server.announce(next);
        assertThat(r1.jobs.poll(10, TimeUnit.SECONDS).cleanJobs()).isTrue();
        NewMiningJob future = r.next(NewMiningJob.class);
        assertThat(future.minNtime()).isEmpty();
        assertThat(r.next(SetNewPrevHash.class).jobId()).isEqualTo(future.jobId());
        assertThat(get(c.submit(new SubmitSharesStandard(ch, 4, job.jobId(), good, prev.minNtime(), job.version()))))
                .isEqualTo(new SubmitSharesError(ch, 4, "stale-share"));
        assertThat(server.sv2Engine().stats().channels()).isEqualTo(1);
        assertThat(engine.stats().accepted()).isEqualTo(2);
    }

    @Test
    void aServerWithAnotherAuthorityIsRefused() {
        Recorder r = new Recorder();
        CompletableFuture<Sv2Client> f = clients.connectV2(v2, Secp256k1KeyPair.generate(random).publicKey(), r);
        assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class).hasMessageContaining("not signed by authority");
    }

    @Test
    void aStalledHandshakeIsClosedAndDoesNotHoldTheLoop() throws Exception {
        try (Socket stalled = new Socket(v2.getAddress(), v2.getPort())) {
            stalled.getOutputStream().write(new byte[10]);
            // Meanwhile a real miner completes its handshake on the same loops.
            Sv2Client c = get(clients.connectV2(v2, authority.publicKey(), new Recorder()));
            assertThat(get(c.setup(setup())).usedVersion()).isEqualTo(2);
            stalled.setSoTimeout(10_000);
            assertThat(stalled.getInputStream().read()).isEqualTo(-1);
        }
        closedFor("Stratum V2: no handshake within 1 s");
    }

    @Test
    void aHandshakeWithoutAChannelIsClosedAfterTheTimeout() throws Exception {
        Recorder r = new Recorder();
        Sv2Client c = get(clients.connectV2(v2, authority.publicKey(), r));
        get(c.setup(setup()));
        assertThat(r.closed.get(10, TimeUnit.SECONDS)).isEqualTo("closed by pool");
        closedFor("Stratum V2: no mining channel within 1 s");
    }

    /** A raw peer that does the handshake itself, then misbehaves. */
    private NoiseSession handshake(Socket s) throws Exception {
        NoiseInitiator initiator = new NoiseInitiator(authority.publicKey(), random);
        s.getOutputStream().write(initiator.writeAct1());
        byte[] act2 = s.getInputStream().readNBytes(234);
        return initiator.readAct2(act2, System.currentTimeMillis() / 1000);
    }

    private static byte[] frame(NoiseSession session, int type, byte[] payload) {
        byte[] h = new byte[6];
        Sv2Codec.writeHeader(h, 0, 0, type, payload.length);
        byte[] out = new byte[NoiseSession.encryptedFrameLength(payload.length)];
        session.encryptFrame(h, 0, payload, 0, payload.length, out, 0);
        return out;
    }

    @Test
    void garbageOversizeFramesAndFlippedBitsCloseTheConnection() throws Exception {
        try (Socket garbage = new Socket(v2.getAddress(), v2.getPort())) {
            garbage.setSoTimeout(10_000);
            OutputStream out = garbage.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: pool\r\n\r\n".repeat(4).getBytes());
            InputStream in = garbage.getInputStream();
            assertThat(in.readAllBytes().length).isLessThanOrEqualTo(234);
        }
        try (Socket flipped = new Socket(v2.getAddress(), v2.getPort())) {
            flipped.setSoTimeout(10_000);
            NoiseSession session = handshake(flipped);
            byte[] f = frame(session, 0x00, Sv2Codec.encodePayload(setup()));
            f[30] ^= 1;
            flipped.getOutputStream().write(f);
            assertThat(flipped.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket oversize = new Socket(v2.getAddress(), v2.getPort())) {
            oversize.setSoTimeout(10_000);
            NoiseSession session = handshake(oversize);
            // A header naming 16 MB: refused on the header alone, before any payload byte arrives.
            byte[] h = new byte[6];
            Sv2Codec.writeHeader(h, 0, 0, 0x00, 0xFF_FFFF);
            byte[] whole = new byte[NoiseSession.encryptedFrameLength(0xFF_FFFF)];
            session.encryptFrame(h, 0, new byte[0xFF_FFFF], 0, 0xFF_FFFF, whole, 0);
            oversize.getOutputStream().write(whole, 0, 22);
            assertThat(oversize.getInputStream().read()).isEqualTo(-1);
        }
        closedFor("Stratum V2: decryption failed");
        closedFor("Stratum V2: bad frame");
    }

    @Test
    void behindAProxyTheHeaderComesFirstAndTheRealAddressIsLimited() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (StratumServer proxied = StratumServer.builder(engine)
                .listen(Listener.on(new InetSocketAddress(lo, 0)).withProxyProtocol(true).withStratumV2(() -> identity))
                .maxConnectionsPerAddress(1).eventLoops(1).build()) {
            proxied.start();
            InetSocketAddress at = proxied.boundAddresses().get(0);
            byte[] header = "PROXY TCP4 203.0.113.7 127.0.0.1 5555 3336\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            try (Socket first = new Socket(at.getAddress(), at.getPort()); Socket second = new Socket(at.getAddress(), at.getPort())) {
                first.setSoTimeout(10_000);
                second.setSoTimeout(10_000);
                // The header and act 1 in one write, as a balancer forwards them.
                NoiseInitiator initiator = new NoiseInitiator(authority.publicKey(), random);
                byte[] act1 = initiator.writeAct1();
                byte[] both = java.util.Arrays.copyOf(header, header.length + act1.length);
                System.arraycopy(act1, 0, both, header.length, act1.length);
                first.getOutputStream().write(both);
                NoiseSession session = initiator.readAct2(first.getInputStream().readNBytes(234), System.currentTimeMillis() / 1000);
                assertThat(session).isNotNull();
                // The same real address again: refused, though both come from the balancer's address.
                second.getOutputStream().write(header);
                second.getOutputStream().write(new NoiseInitiator(authority.publicKey(), random).writeAct1());
                assertThat(second.getInputStream().read()).isEqualTo(-1);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!proxied.metrics().closesByReason().containsKey("refused: too many connections from one address")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(proxied.metrics().closesByReason()).containsKey("refused: too many connections from one address");
        }
    }

    @Test
    void drainTellsV2MinersToReconnect() throws Exception {
        server.announce(engine.newTemplate(ServerTest.template(1)));
        Recorder r = new Recorder();
        Sv2Client c = get(clients.connectV2(v2, authority.publicKey(), r));
        get(c.setup(setup()));
        get(c.openStandardChannel("w", 0f, Target.MAX));
        Thread drain = new Thread(() -> server.drain(Duration.ofMillis(500),
                new org.stratum4j.core.protocol.Reconnect("pool.example", 3336, null)));
        drain.start();
        Sv2Message m;
        do {
            m = r.messages.poll(10, TimeUnit.SECONDS);
        } while (m != null && !(m instanceof Sv2Message.Reconnect));
        assertThat(m).isEqualTo(new Sv2Message.Reconnect("pool.example", 3336));
        drain.join(10_000);
        assertThat(List.of(r.closed.get(10, TimeUnit.SECONDS))).isNotEmpty();
    }
}
