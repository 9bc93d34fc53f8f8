package org.stratum4j.examples.sharelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.share.RejectReason;

class ShareLogTest {

    @TempDir
    Path dir;

    static ShareEvent share(int i, boolean accepted) {
        byte[] h = new byte[32];
        h[0] = (byte) i;
        return new ShareEvent(Instant.ofEpochSecond(1_700_000_000L + i), 7, new InetSocketAddress("192.0.2.1", 4000), "bcrt1qworker.rig",
                "job" + i, "job" + i, "01000002", String.format("%016x", i), 0x65000000 + i, i * 31, 0x20000000, Difficulty.of("0.5"),
                Sha256Hash.fromInternalBytes(h), 1.5, accepted ? null : RejectReason.LOW_DIFFICULTY, i == 3);
    }

    @Test
    void acceptedSharesAreOnDiskBeforeTheirStageCompletesAndReadBackInOrder() throws Exception {
        Path file = dir.resolve("shares.log");
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        List<Boolean> onDiskWhenDone = new ArrayList<>();
        try (ShareLog log = ShareLog.open(file, 1000)) {
            assertThat(log.isDurable()).isTrue();
            for (int i = 0; i < 100; i++) {
                String job = "job" + i;
                CompletableFuture<Void> f = log.record(share(i, true)).toCompletableFuture();
                f.thenRun(() -> {
                    try {
                        onDiskWhenDone.add(Files.readString(file).contains("\"job\":\"" + job + "\""));
                    } catch (java.io.IOException e) {
                        onDiskWhenDone.add(false);
                    }
                });
                stages.add(f);
                log.record(share(i, false)); // rejected: not logged
            }
            CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
            assertThat(log.written()).isEqualTo(100);
        }
        assertThat(onDiskWhenDone).hasSize(100).containsOnly(true);
        List<LoggedShare> read = new ArrayList<>();
        assertThat(ShareLog.read(file, read::add)).isZero();
        assertThat(read).hasSize(100);
        LoggedShare s3 = read.get(3);
        assertThat(s3.job()).isEqualTo("job3");
        assertThat(s3.worker()).isEqualTo("bcrt1qworker.rig");
        assertThat(s3.extranonce2()).isEqualTo("0000000000000003");
        assertThat(s3.ntime()).isEqualTo("65000003");
        assertThat(s3.nonce()).isEqualTo(String.format("%08x", 93));
        assertThat(s3.difficulty()).isEqualTo("0.5");
        assertThat(s3.hash()).endsWith("03");
        assertThat(s3.block()).isTrue();
        assertThat(read.get(4).block()).isFalse();
    }

    @Test
    void aTornLastLineIsSkippedAndTheLogGoesOnAfterIt() throws Exception {
        Path file = dir.resolve("shares.log");
        try (ShareLog log = ShareLog.open(file, 10)) {
            for (int i = 0; i < 3; i++) {
                log.record(share(i, true)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        // What a crash in the middle of a write leaves.
        Files.write(file, "{\"time\":\"2026-11-25T06:00:00Z\",\"worker\":\"w\",\"jo".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        try (ShareLog log = ShareLog.open(file, 10)) {
            for (int i = 3; i < 5; i++) {
                log.record(share(i, true)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        List<LoggedShare> read = new ArrayList<>();
        assertThat(ShareLog.read(file, read::add)).isEqualTo(1);
        assertThat(read).extracting(LoggedShare::job).containsExactly("job0", "job1", "job2", "job3", "job4");
    }

    @Test
    void aClosedLogRefusesSoTheMinerIsNotToldTrue() throws Exception {
        ShareLog log = ShareLog.open(dir.resolve("shares.log"), 10);
        log.close();
        assertThatThrownBy(() -> log.record(share(1, true)).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasMessageContaining("is closed");
    }
}
