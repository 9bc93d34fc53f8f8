package org.stratum4j.examples.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PplnsWindowTest {

    @Test
    void theWindowKeepsTheLatestSharesUpToItsSizeAndSplitsByDifficulty() {
        PplnsWindow w = new PplnsWindow(10);
        assertThat(w.split()).isEmpty();
        w.add("alice", 4);
        w.add("bob", 4);
        assertThat(w.split()).containsEntry("alice", 0.5).containsEntry("bob", 0.5);
        w.add("alice", 4); // 12 > 10: alice's first share falls out
        assertThat(w.total()).isEqualTo(8);
        assertThat(w.split()).containsEntry("alice", 0.5).containsEntry("bob", 0.5);
        w.add("carol", 2);
        assertThat(w.split().get("carol")).isCloseTo(0.2, within(1e-12));
        w.resize(6); // bob's share is now the oldest to go
        assertThat(w.split()).containsOnlyKeys("alice", "carol");
        assertThat(w.split().get("alice")).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(w.split().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void aShareLargerThanTheWindowStillCounts() {
        PplnsWindow w = new PplnsWindow(1);
        w.add("whale", 50);
        assertThat(w.split()).containsEntry("whale", 1.0);
        w.add("minnow", 0.5);
        assertThat(w.split()).containsOnlyKeys("minnow");
        assertThatThrownBy(() -> w.resize(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWindowHoldsAtMostItsBoundOfSharesAndReusesWorkerNumbers() {
        PplnsWindow w = new PplnsWindow(1e12, 1000);
        for (int i = 0; i < 10_000; i++) {
            w.add("worker" + i, 1);
        }
        // The window's size would hold them all; the bound keeps the last thousand.
        assertThat(w.shares()).isEqualTo(1000);
        assertThat(w.total()).isEqualTo(1000);
        assertThat(w.split()).hasSize(1000).containsKey("worker9999").doesNotContainKey("worker8999");
        // A worker whose shares all left is forgotten, and comes back as new.
        for (int i = 0; i < 1000; i++) {
            w.add("solo", 2);
        }
        assertThat(w.split()).containsOnlyKeys("solo").containsEntry("solo", 1.0);
        w.add("late", 2);
        assertThat(w.split().get("late")).isCloseTo(1.0 / 1000, within(1e-12));
        w.resize(3);
        assertThat(w.shares()).isEqualTo(1);
        assertThat(w.split()).containsOnlyKeys("late");
    }
}
