package org.stratum4j.examples.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.testing.MutableClock;

/** Worker, node and database alerts fire once per change, and their JSON says what happened. */
class AlertWatchTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    final Map<String, Instant> lastShares = new ConcurrentHashMap<>();
    final List<Alert> sent = new CopyOnWriteArrayList<>();
    volatile boolean node = true;
    volatile boolean database = true;
    final AlertWatch watch = new AlertWatch(clock, Duration.ofMinutes(10), () -> Map.copyOf(lastShares), () -> node, () -> database,
            sent::add);

    @Test
    void aWorkerThatStopsIsReportedOnceAndAgainWhenItIsBack() {
        String worker = "bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms.rig1";
        lastShares.put(worker, clock.instant());
        clock.advance(Duration.ofMinutes(9));
        watch.check();
        assertThat(sent).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        watch.check();
        watch.check();
        clock.advance(Duration.ofMinutes(30));
        watch.check();
        assertThat(sent).hasSize(1);
        Alert off = sent.get(0);
        assertThat(off.event()).isEqualTo(Alert.WORKER_OFFLINE);
        assertThat(off.fields()).containsEntry("worker", worker).containsEntry("address", "bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms")
                .containsEntry("offline_seconds", 600L).containsEntry("last_share", "2026-12-04T12:00:00Z");

        lastShares.put(worker, clock.instant());
        watch.check();
        watch.check();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).event()).isEqualTo(Alert.WORKER_BACK);
        assertThat(sent.get(1).fields()).containsEntry("was_offline_seconds", 2400L);
        assertThat(sent.get(1).id()).isGreaterThan(off.id());

        // It can go offline again; while the source no longer reads it (a cluster's reads recent rollups only) its return is
        // still reported, within a week.
        clock.advance(Duration.ofMinutes(10));
        watch.check();
        assertThat(sent).hasSize(3);
        lastShares.remove(worker);
        clock.advance(Duration.ofDays(2));
        watch.check();
        lastShares.put(worker, clock.instant());
        watch.check();
        assertThat(sent).hasSize(4);
        assertThat(sent.get(3).event()).isEqualTo(Alert.WORKER_BACK);
        // Offline again, then gone from the source for more than a week: forgotten, so a later share is no "back" event.
        clock.advance(Duration.ofMinutes(10));
        watch.check();
        assertThat(sent).hasSize(5);
        lastShares.remove(worker);
        clock.advance(Duration.ofDays(8));
        watch.check();
        lastShares.put(worker, clock.instant());
        watch.check();
        assertThat(sent).hasSize(5);
        assertThat(sent.get(4).event()).isEqualTo(Alert.WORKER_OFFLINE);

        // Not leading (another process sends the cluster's worker alerts): nothing about workers.
        AlertWatch follower = new AlertWatch(clock, Duration.ofMinutes(10), () -> Map.of("a.b", clock.instant().minusSeconds(3600)), null,
                null, sent::add).leadingWhen(() -> false);
        follower.check();
        assertThat(sent).hasSize(5);
    }

    @Test
    void theNodeAndTheDatabaseAreReportedWhenLostAndWhenBack() {
        watch.check();
        assertThat(sent).isEmpty();
        node = false;
        watch.check();
        watch.check();
        database = false;
        watch.check();
        node = true;
        database = true;
        watch.check();
        assertThat(sent).extracting(Alert::event).containsExactly(Alert.NODE_UNREACHABLE, Alert.DATABASE_UNREACHABLE,
                Alert.NODE_RECOVERED, Alert.DATABASE_RECOVERED);
    }

    @Test
    void theJsonCarriesTheEventTheTimeAndTheFieldsInOrder() {
        Alert a = new Alert(Alert.WORKER_OFFLINE, Instant.parse("2026-12-04T12:10:00Z"), 7,
                new java.util.LinkedHashMap<>(Map.of("worker", "a.<script>\"x\"")));
        String json = new String(a.toJson(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"event\":\"worker_offline\",\"id\":7,\"time\":\"2026-12-04T12:10:00Z\","
                + "\"time_epoch_seconds\":1796386200,\"worker\":\"a.<script>\\\"x\\\"\"}");
        assertThatThrownBy(() -> new Alert("x", Instant.EPOCH, 1, Map.of("bad", new Object()))).hasMessageContaining("values are strings");
        assertThatThrownBy(() -> new AlertWatch(clock, Duration.ofSeconds(5), Map::of, null, null, sent::add))
                .hasMessageContaining("outside 1 minute .. 7 days");
    }
}
