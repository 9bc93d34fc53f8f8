package org.stratum4j.examples.embed;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.engine.Authorizer;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.engine.ShareSink;
import org.stratum4j.core.engine.Vardiff;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.examples.bitcoind.BitcoindChain;
import org.stratum4j.examples.bitcoind.BitcoindRpc;
import org.stratum4j.examples.bitcoind.RpcAuth;
import org.stratum4j.transport.nio.StratumServer;

/**
 * The smallest complete pool on the library, walked through in {@code docs/EMBEDDING.md}: miners
 * from your user table, shares credited to your accounts, templates and blocks through Bitcoin
 * Core, the NIO server; the record's parts are what {@link #close()} stops. Run it: {@code java -cp stratum-example-pool.jar
 * org.stratum4j.examples.embed.EmbeddedPool http://127.0.0.1:18443/ RPCUSER RPCPASSWORD ADDRESS}.
 */
public record EmbeddedPool(BitcoindRpc rpc, BitcoindChain node, StratumServer server, Credits credits) implements AutoCloseable {

    /** Your accounts: {@code alice.rig1} mines for alice if the password is alice's. */
    static Authorizer users(Map<String, String> passwords) {
        return request -> {
            String user = request.worker().split("\\.", 2)[0];
            boolean known = request.password() != null && request.password().equals(passwords.get(user));
            return CompletableFuture.completedFuture(known ? Authorizer.Result.OK : Authorizer.Result.refused("unknown user or password"));
        };
    }

    /** Your accounting: the difficulty of each user's accepted shares, added up (a real pool stores it durably). */
    public static final class Credits implements ShareSink {
        private final Map<String, DoubleAdder> byUser = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Void> record(ShareEvent e) {
            if (e.accepted()) {
                byUser.computeIfAbsent(e.worker().split("\\.", 2)[0], u -> new DoubleAdder()).add(e.difficulty().toDouble());
            }
            return CompletableFuture.completedFuture(null);
        }

        /** The difficulty credited to {@code user} so far. */
        public double of(String user) {
            DoubleAdder d = byUser.get(user);
            return d == null ? 0 : d.sum();
        }
    }

    /** Starts a pool on {@code at} whose blocks pay {@code address}; shares start at, and never go below, {@code minimum}. */
    public static EmbeddedPool start(URI nodeUrl, RpcAuth auth, Network network, String address, Map<String, String> passwords,
                                     Difficulty minimum, InetSocketAddress at) throws Exception {
        BitcoindRpc rpc = BitcoindRpc.builder(nodeUrl, auth).build();
        rpc.checkNetwork(network); // fails fast: wrong node, wrong chain, wrong credentials
        byte[] payTo = Address.parse(address, network).scriptPubKey();
        BitcoindChain node = new BitcoindChain(rpc);
        Credits credits = new Credits();
        PoolEngine engine = PoolEngine.builder().clock(Clock.systemUTC())
                .authorizer(users(passwords))
                .shareSink(credits)
                .payouts(template -> List.of(CoinbaseOutput.of(template.coinbaseValue(), payTo)))
                .blockSubmitter(node)
                .difficultyPolicy(Vardiff.builder().minimum(minimum).build()).initialDifficulty(minimum)
                .build();
        StratumServer server = StratumServer.builder(engine).listen(at).build();
        server.start();
        node.start(template -> server.announce(engine.newTemplate(template)));
        return new EmbeddedPool(rpc, node, server, credits);
    }

    /** Where miners connect. */
    public InetSocketAddress address() {
        return server.boundAddresses().get(0);
    }

    @Override
    public void close() {
        node.stop();
        server.close();
        rpc.close();
    }

    /** {@code NODE_URL RPC_USER RPC_PASSWORD ADDRESS}: a regtest pool on port 3333 for user alice (password x). */
    public static void main(String[] args) throws Exception {
        EmbeddedPool pool = start(URI.create(args[0]), RpcAuth.password(args[1], args[2]), Network.REGTEST, args[3], Map.of("alice", "x"),
                Difficulty.of(1), new InetSocketAddress(3333));
        Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
        System.out.println("mine on stratum+tcp://127.0.0.1:" + pool.address().getPort() + " as alice.rig1, password x");
    }
}
