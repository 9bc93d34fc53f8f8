package org.stratum4j.examples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.share.RejectReason;
import org.stratum4j.core.testing.MutableClock;

/** The dashboard's in-memory figures: rates per interval, online within 5 minutes, bounded and junk-proof. */
class ShareHistoryTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    final ShareHistory history = new ShareHistory(clock);

    ShareEvent share(String worker, double difficulty, double shareDifficulty, RejectReason reason) {
        return new ShareEvent(clock.instant(), 1, new InetSocketAddress("127.0.0.1", 1), worker, "j", "j", "00000000", "00", 0, 0, 0,
                Difficulty.of(difficulty), null, shareDifficulty, reason, false);
    }

    @Test
    void ratesFollowTheAcceptedDifficultyPerInterval() {
        // Ten minutes of one difficulty-1 share a minute: 2^32 hashes a minute.
        for (int m = 0; m < 10; m++) {
            clock.set(Instant.parse("2026-12-04T12:00:30Z").plusSeconds(60L * m));
            history.record(share("addr1234567890abc.rig", 1, 2, null));
        }
        clock.set(Instant.parse("2026-12-04T12:10:00Z"));
        double perMinute = 4294967296.0 / 60;
        assertThat(history.hashrate()).isCloseTo(perMinute, within(perMinute * 1e-6));
        double[][] hour = history.poolSeries(ShareHistory.View.HOUR);
        assertThat(hour).hasNumberOfRows(60);
        assertThat(hour[58][1]).isCloseTo(perMinute, within(perMinute * 1e-6));
        assertThat(hour[58][0]).isEqualTo((double) Instant.parse("2026-12-04T12:09:00Z").getEpochSecond());
        double[][] day = history.poolSeries(ShareHistory.View.DAY);
        assertThat(day).hasNumberOfRows(144);
        assertThat(day[142][1]).as("12:00-12:10, all ten shares").isCloseTo(10 * 4294967296.0 / 600, within(1.0));
        assertThat(history.workerSeries("addr1234567890abc.rig", ShareHistory.View.WEEK)).hasNumberOfRows(168);
        assertThat(history.workerSeries("nobody", ShareHistory.View.WEEK)).isNull();
    }

    @Test
    void aWorkerIsOnlineForFiveMinutesAfterItsLastShareAndCountsItsRejections() {
        history.record(share("addr1234567890abc.a", 0.5, 3, null));
        history.record(share("addr1234567890abc.a", 0.5, 0, RejectReason.JOB_NOT_FOUND));
        history.record(share("addr1234567890abc.a", 0.5, 0, RejectReason.LOW_DIFFICULTY));
        history.record(share("addr1234567890abc.a", 0.5, 0, RejectReason.LOW_DIFFICULTY));
        ShareHistory.WorkerView w = history.workersOf("addr1234567890abc").get(0);
        assertThat(w.online()).isTrue();
        assertThat(w.accepted()).isEqualTo(1);
        assertThat(w.stale()).isEqualTo(1);
        assertThat(w.rejected()).containsExactly(java.util.Map.entry("low_difficulty", 2L));
        assertThat(w.difficulty()).isEqualTo(0.5);
        assertThat(w.bestDifficulty()).isEqualTo(3);
        clock.advance(Duration.ofMinutes(5));
        assertThat(history.workersOf("addr1234567890abc").get(0).online()).isFalse();
        history.blockFound();
        assertThat(history.workersOf("addr1234567890abc").get(0).bestDifficultySinceBlock()).isZero();
        assertThat(history.workersOf("addr1234567890abc").get(0).bestDifficulty()).isEqualTo(3);
    }

    @Test
    void namesWithoutAnAcceptedShareCostNothingAndOldWorkersAreForgotten() {
        for (int i = 0; i < 1000; i++) {
            history.record(share("junk" + i, 1, 0, RejectReason.LOW_DIFFICULTY));
        }
        assertThat(history.workers()).isEmpty();
        history.record(share("addr1234567890abc.old", 1, 1, null));
        clock.advance(Duration.ofDays(8));
        history.record(share("addr1234567890abc.new", 1, 1, null));
        history.forgetIdle();
        assertThat(history.workers()).extracting(ShareHistory.WorkerView::worker).containsExactly("addr1234567890abc.new");
    }

    @Test
    void theBestSharesAreTheTenHighest() {
        for (int i = 1; i <= 30; i++) {
            history.record(share("addr1234567890abc.w" + (i % 3), 1, i, null));
        }
        assertThat(history.bestShares()).hasSize(10).extracting(ShareHistory.BestShare::difficulty)
                .containsExactly(30.0, 29.0, 28.0, 27.0, 26.0, 25.0, 24.0, 23.0, 22.0, 21.0);
    }

    @Test
    void unitsAndEscaping() {
        assertThat(Html.hashrate(0)).isEqualTo("0 H/s");
        assertThat(Html.hashrate(950)).isEqualTo("950 H/s");
        assertThat(Html.hashrate(12_345_678)).isEqualTo("12.3 MH/s");
        assertThat(Html.hashrate(1.5e21)).isEqualTo("1.50 ZH/s");
        assertThat(Html.hashrate(3e24)).isEqualTo("3000 ZH/s");
        assertThat(Html.text("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assertThat(Html.duration(-1)).isEqualTo("never");
        assertThat(Html.duration(3 * 86400)).isEqualTo("3.0 days");
        assertThat(WebServer.validAddress("bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms")).isTrue();
        assertThat(WebServer.validAddress("bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms.rig")).isFalse();
        assertThat(WebServer.validAddress("../../etc/passwd")).isFalse();
    }
}
