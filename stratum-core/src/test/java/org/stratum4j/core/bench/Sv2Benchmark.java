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
