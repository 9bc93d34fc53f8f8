package org.stratum4j.core.bench;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.sv2.Sv2DecodeException;
import org.stratum4j.core.sv2.Sv2Framing;
import org.stratum4j.core.sv2.Sv2Message;
import org.stratum4j.core.sv2.noise.EllSwift;
import org.stratum4j.core.sv2.noise.NoiseException;
import org.stratum4j.core.sv2.noise.NoiseInitiator;
import org.stratum4j.core.sv2.noise.NoiseResponder;
import org.stratum4j.core.sv2.noise.Secp256k1KeyPair;
import org.stratum4j.core.sv2.noise.ServerIdentity;

/**
 * What Stratum V2 costs the pool per connection and per message: the responder's half of a
 * handshake (what a reconnect storm costs the handshake threads), the initiator's (what the load
 * generator and a miner pay), their parts (an ElligatorSwift encoding, an x-only ECDH), and a
 * submit's trip through the encrypted framing (encrypt on the miner's side, decrypt and decode on
 * the pool's).
 *
 * <p>Run: {@code ./mvnw -q -pl stratum-core test-compile exec:exec@jmh -Djmh.args="Sv2Benchmark -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Sv2Benchmark {

    private final SecureRandom random = new SecureRandom();
    private ServerIdentity identity;
    private byte[] act1;
    private byte[] act2;
    private NoiseInitiator pendingInitiator;
    private Secp256k1KeyPair key;
    private byte[] encoding;
    private Sv2Framing miner;
    private Sv2Framing pool;
    private Sv2Message.SubmitSharesStandard submit;
    private Sv2Message.NewMiningJob job;
    private org.stratum4j.core.sv2.Sv2Engine engine;
    private org.stratum4j.core.sv2.Sv2Session session;
    private org.stratum4j.core.engine.Announcement[] blocks;
    private int block;

    @Setup
    public void setUp() throws NoiseException {
        Secp256k1KeyPair authority = Secp256k1KeyPair.generate(random);
        identity = ServerIdentity.issue(authority, 1_700_000_000L, 86_400, random);
        act1 = new NoiseInitiator(authority.publicKey(), random).writeAct1();
        key = Secp256k1KeyPair.generate(random);
        encoding = Secp256k1KeyPair.generate(random).ellSwiftEncoding(random);
        NoiseInitiator i = new NoiseInitiator(authority.publicKey(), random);
        NoiseResponder r = new NoiseResponder(identity, random);
        miner = new Sv2Framing(i.readAct2(r.readAct1WriteAct2(i.writeAct1()), 1_700_000_100L), 1 << 20);
        pool = new Sv2Framing(r.session(), 16 * 1024);
        submit = new Sv2Message.SubmitSharesStandard(1, 1, 7, 0x12345678, 1_700_000_100, 0x20002000);
        job = new Sv2Message.NewMiningJob(1, 8, OptionalInt.of(1_700_000_100), 0x20000000, Sha256Hash.ZERO);
        prepareAct2();
        fanOutSetUp();
    }

    /** A pool with one V2 connection holding one standard channel whose frames are really encrypted. */
    private void fanOutSetUp() {
        java.time.Clock clock = java.time.Clock.systemUTC();
        org.stratum4j.core.engine.PoolEngine pool = org.stratum4j.core.engine.PoolEngine.builder().clock(clock)
                .payouts(t -> java.util.List.of(org.stratum4j.core.job.CoinbaseOutput.of(t.coinbaseValue(),
                        org.stratum4j.core.bitcoin.Hex.decode("0014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc"))))
                .blockSubmitter(b -> java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty())).build();
        engine = org.stratum4j.core.sv2.Sv2Engine.on(pool);
        Sv2Framing sending = pool == null ? null : this.pool;
        session = engine.open(new org.stratum4j.core.sv2.Sv2Connection() {
            @Override
            public java.net.SocketAddress remoteAddress() {
                return new java.net.InetSocketAddress("127.0.0.1", 1);
            }

            @Override
            public void send(Sv2Message m) {
                sink = sending.encode(m);
            }

            @Override
            public void close(String reason) {
            }

            @Override
            public void ban(java.time.Duration d, String reason) {
            }

            @Override
            public void execute(Runnable task) {
                task.run();
            }
        });
        long now = clock.instant().getEpochSecond();
        blocks = new org.stratum4j.core.engine.Announcement[64];
        for (int i = 0; i < blocks.length; i++) {
            byte[] prev = new byte[32];
            prev[0] = (byte) i;
            prev[1] = (byte) (i >> 8);
            blocks[i] = pool.newTemplate(org.stratum4j.core.job.BlockTemplate.builder().previousBlockHash(Sha256Hash.fromInternalBytes(prev))
                    .bits(org.stratum4j.core.bitcoin.CompactBits.of(0x1d00ffff)).height(800_000 + i).curTime(now).minTime(now - 600)
                    .coinbaseValue(312_500_000L).build());
        }
        engine.receive(session, new Sv2Message.SetupConnection(0, 2, 2, 1, "h", 1, "v", "h", "f", ""));
        engine.receive(session, new Sv2Message.OpenStandardMiningChannel(1, "bc1q.rig", 0f, org.stratum4j.core.bitcoin.Target.MAX));
    }

    private byte[] sink;

    /**
     * What a new block costs per standard channel: its merkle root, NewMiningJob and SetNewPrevHash
     * encoded and encrypted (a V1 session costs a shared line's reference).
     */
    @Benchmark
    public byte[] newBlockPerStandardChannel() {
        engine.deliver(session, blocks[block++ & 63]);
        return sink;
    }

    private void prepareAct2() throws NoiseException {
        pendingInitiator = new NoiseInitiator(identity.authority(), random);
        act2 = new NoiseResponder(identity, random).readAct1WriteAct2(pendingInitiator.writeAct1());
    }

    /** The pool's half of a handshake: read act 1, write act 2. */
    @Benchmark
    public byte[] responderHandshake() throws NoiseException {
        return new NoiseResponder(identity, random).readAct1WriteAct2(act1);
    }

    /** The miner's half: write act 1, then read and verify act 2 (the certificate's signature). */
    @Benchmark
    public Object initiatorHandshake() throws NoiseException {
        NoiseInitiator i = new NoiseInitiator(identity.authority(), random);
        byte[] a1 = i.writeAct1();
        // act 2 must answer this act 1; the responder's part is measured above, so only the read is counted here
        byte[] a2 = new NoiseResponder(identity, random).readAct1WriteAct2(a1);
        return i.readAct2(a2, 1_700_000_100L);
    }

    /** One ElligatorSwift encoding of a public key (two per handshake on each side). */
    @Benchmark
    public byte[] ellSwiftEncode() {
        return key.ellSwiftEncoding(random);
    }

    /** One x-only ECDH with an ElligatorSwift key (two per handshake on each side). */
    @Benchmark
    public byte[] ellSwiftEcdh() {
        return EllSwift.xOnlyEcdh(encoding, key.privateKey());
    }

    /** A submit encrypted by the miner, then decrypted and decoded by the pool. */
    @Benchmark
    public void submitThroughFraming(Blackhole bh) throws NoiseException, Sv2DecodeException {
        pool.feed(ByteBuffer.wrap(miner.encode(submit)), m -> {
            bh.consume(m);
            return true;
        });
    }

    /** A job encrypted by the pool (per standard channel, per job). */
    @Benchmark
    public byte[] jobEncrypt() {
        return pool.encode(job);
    }
}
