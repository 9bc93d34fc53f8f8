package org.stratum4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Transaction;
import org.stratum4j.core.engine.EngineTest.Miner;
import org.stratum4j.core.protocol.Authorize;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.RequestId;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.Subscribe;
import org.stratum4j.core.share.RejectReason;

/** Solo mining: every connection's coinbase pays the script its worker was authorized with. */
class PayoutPerWorkerTest {

    static final byte[] ALICE = Hex.decode("0014" + "11".repeat(20));
    static final byte[] BOB = Hex.decode("0014" + "22".repeat(20));

    final EngineTest base = new EngineTest();

    PayoutPerWorkerTest() {
        base.engine = base.builder().payoutPerWorker(true).authorizer(r -> CompletableFuture.completedFuture(
                r.worker().startsWith("alice") ? Authorizer.Result.payingTo(ALICE)
                        : r.worker().startsWith("bob") ? Authorizer.Result.payingTo(BOB) : Authorizer.Result.OK)).build();
    }

    Miner subscribed(int port) {
        Miner m = base.connect(port);
        base.engine.receive(m.session(), new Subscribe(RequestId.of(1), "test", null));
        return m;
    }

    static Notify notify(List<PoolMessage> out) {
        return out.stream().filter(Notify.class::isInstance).map(Notify.class::cast).reduce((a, b) -> b).orElse(null);
    }

    static boolean pays(Notify n, byte[] script) {
        return Hex.encode(n.coinb2()).contains(Hex.encode(script));
    }

    @Test
    void jobsWaitForTheAuthorizationThatNamesThePayoutThenPayIt() {
        Announcement a = base.engine.newTemplate(EngineTest.template(1, 0x207fffff));
        Miner alice = subscribed(1);
        assertThat(notify(alice.connection().take())).as("no work before the payout is known").isNull();

        base.engine.receive(alice.session(), new Authorize(RequestId.of(2), "alice.rig1", "x"));
        List<PoolMessage> out = alice.connection().take();
        assertThat(FakeConnection.last(out.subList(0, 1)).isTrue()).isTrue();
        Notify mine = notify(out);
        assertThat(mine.cleanJobs()).isTrue();
        assertThat(mine.jobId()).isNotEqualTo(a.job().id());
        assertThat(pays(mine, ALICE)).isTrue();

        // A share on alice's job is accepted; one on the pool's base job is not hers to submit.
        Miner same = new Miner(alice.connection(), alice.session());
        byte[] en2 = new byte[8];
        org.stratum4j.core.job.Job job = sessionJob(alice, mine.jobId());
        long nonce = EngineTest.nonceWhere(job, alice.session(), en2, h -> EngineTest.EASY.toTarget().isMetBy(h));
        Response ok = answer(same, "alice.rig1", mine.jobId(), en2, mine.ntime(), nonce);
        assertThat(ok.isTrue()).isTrue();
        Response stale = answer(same, "alice.rig1", a.job().id(), en2, mine.ntime(), nonce);
        assertThat(stale.error().code()).isEqualTo(RejectReason.JOB_NOT_FOUND.error().code());

        // A block found on her job pays her script, all of the coinbase value.
        long block = EngineTest.nonceWhere(job, alice.session(), en2, nonce + 1, h -> job.networkTarget().isMetBy(h));
        assertThat(answer(same, "alice.rig1", mine.jobId(), en2, mine.ntime(), block).isTrue()).isTrue();
        byte[] raw = base.blocks.get(0).block();
        Transaction coinbase = Transaction.read(raw, 80 + 1);
        assertThat(coinbase.outputs()).anySatisfy(o -> {
            assertThat(o.scriptPubKey()).isEqualTo(ALICE);
            assertThat(o.value()).isEqualTo(5_000_000_000L);
        });
    }

    @Test
    void minersOfOneAddressShareAJobAndOtherAddressesGetTheirOwn() {
        base.engine.newTemplate(EngineTest.template(1, 0x207fffff));
        Miner a1 = subscribed(1);
        Miner a2 = subscribed(2);
        Miner b = subscribed(3);
        base.engine.receive(a1.session(), new Authorize(RequestId.of(2), "alice.one", "x"));
        base.engine.receive(a2.session(), new Authorize(RequestId.of(2), "alice.two", "x"));
        base.engine.receive(b.session(), new Authorize(RequestId.of(2), "bob", "x"));
        a1.connection().take();
        a2.connection().take();
        b.connection().take();

        Announcement next = base.engine.newTemplate(EngineTest.template(2, 0x207fffff));
        for (Miner m : List.of(a1, a2, b)) {
            base.engine.deliver(m.session(), next);
        }
        Notify n1 = notify(a1.connection().take());
        Notify n2 = notify(a2.connection().take());
        Notify nb = notify(b.connection().take());
        assertThat(n1.jobId()).isEqualTo(n2.jobId()).isNotEqualTo(nb.jobId()).isNotEqualTo(next.job().id());
        assertThat(n1.cleanJobs()).isTrue();
        assertThat(pays(n1, ALICE)).isTrue();
        assertThat(pays(nb, BOB)).isTrue();
        assertThat(pays(nb, ALICE)).isFalse();
        // Same branch, different coinbase: only the coinbase differs between miners.
        assertThat(n1.merkleBranch()).isEqualTo(nb.merkleBranch());
    }

    @Test
    void aConnectionPaysOneAddressAndAWorkerWithoutOneIsRefused() {
        base.engine.newTemplate(EngineTest.template(1, 0x207fffff));
        Miner m = subscribed(1);
        base.engine.receive(m.session(), new Authorize(RequestId.of(2), "alice.one", "x"));
        base.engine.receive(m.session(), new Authorize(RequestId.of(3), "alice.two", "x"));
        base.engine.receive(m.session(), new Authorize(RequestId.of(4), "bob", "x"));
        base.engine.receive(m.session(), new Authorize(RequestId.of(5), "carol", "x"));
        List<Response> r = m.connection().responses();
        assertThat(r.get(1).isTrue()).isTrue();
        assertThat(r.get(2).isTrue()).isTrue();
        assertThat(r.get(3).error().code()).isEqualTo(24);
        assertThat(r.get(3).error().message()).contains("one connection per address");
        assertThat(r.get(4).error().code()).isEqualTo(24);
        assertThat(r.get(4).error().message()).contains("none was given for carol");
        assertThat(m.session().workers()).containsExactly("alice.one", "alice.two");
    }

    org.stratum4j.core.job.Job sessionJob(Miner m, String id) {
        int i = m.session().sent(id);
        return m.session().sentJobs[i];
    }

    Response answer(Miner m, String worker, String jobId, byte[] en2, int ntime, long nonce) {
        base.engine.receive(m.session(), org.stratum4j.core.protocol.Submit.of(RequestId.of(9), worker, jobId, en2, ntime, (int) nonce));
        return FakeConnection.last(m.connection().take());
    }
}
