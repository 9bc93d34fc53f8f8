package org.stratum4j.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.testing.MutableClock;

/** Job ids, {@code clean_jobs}, and what the job book finds. */
class JobFactoryAndBookTest {

    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final List<CoinbaseOutput> PAY = List.of(CoinbaseOutput.of(1, Hex.decode("51")));

    private static BlockTemplate template(int tip, long curTime) {
        byte[] prev = new byte[32];
        prev[0] = (byte) tip;
        return BlockTemplate.builder().previousBlockHash(Sha256Hash.fromInternalBytes(prev))
                .bits(CompactBits.of(0x207fffff)).height(100 + tip).curTime(curTime).coinbaseValue(1000).build();
    }

    @Test
    void idsAreUniqueIncreasingAndStartAboveAnEarlierRunsIds() {
        MutableClock clock = new MutableClock(START);
        JobFactory first = new JobFactory(clock, CoinbaseBuilder.defaults());
        BlockTemplate t = template(1, START.getEpochSecond());
        Set<String> ids = new HashSet<>();
        long last = -1;
        // Many jobs within the same microsecond still get distinct, increasing ids.
        for (int i = 0; i < 10_000; i++) {
            String id = first.create(t, PAY).id();
            assertThat(ids.add(id)).as("id %s repeated", id).isTrue();
            long value = Long.parseUnsignedLong(id, 16);
            assertThat(value).isGreaterThan(last);
            last = value;
        }
        assertThat(Long.toHexString(last)).hasSize(13);
        // A restart 20 ms later (10,000 ids ran 10 ms ahead of the clock) issues only new ids.
        clock.advance(Duration.ofMillis(20));
        JobFactory restarted = new JobFactory(clock, CoinbaseBuilder.defaults());
        assertThat(Long.parseUnsignedLong(restarted.create(t, PAY).id(), 16)).isGreaterThan(last);
    }

    @Test
    void aReissuedJobIsDifferentWorkWithALaterNtimeNeverFarAheadOfTheClock() {
        MutableClock clock = new MutableClock(START);
        JobFactory factory = new JobFactory(clock, CoinbaseBuilder.defaults());
        Job job = factory.create(template(1, START.getEpochSecond()), PAY);
        Job again = factory.reissue(job);
        assertThat(again.ntime()).isEqualTo(job.ntime() + 1);
        assertThat(again.minTime()).isEqualTo(job.minTime());
        assertThat(again.notifyMessage().coinb1()).isEqualTo(job.notifyMessage().coinb1());
        // Later on, the clock's time.
        clock.advance(Duration.ofSeconds(90));
        assertThat(factory.reissue(again).ntime()).isEqualTo(START.getEpochSecond() + 90);
        // A thousand reissues in one second go no further than ten minutes ahead, then keep the ntime.
        Job many = again;
        for (int i = 0; i < 1000; i++) {
            many = factory.reissue(many);
        }
        assertThat(many.ntime()).isEqualTo(clock.instant().getEpochSecond() + 600);
    }

    @Test
    void idsStayUniqueAcrossThreads() throws InterruptedException {
        JobFactory factory = new JobFactory(new MutableClock(START), CoinbaseBuilder.defaults());
        BlockTemplate t = template(1, START.getEpochSecond());
        Set<String> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[4];
        for (int k = 0; k < threads.length; k++) {
            threads[k] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 2_000; i++) {
                    ids.add(factory.create(t, PAY).id());
                }
            });
            threads[k].start();
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(ids).hasSize(8_000);
    }

    @Test
    void cleanJobsOnlyWhenTheTipChanges() {
        JobFactory factory = new JobFactory(new MutableClock(START), CoinbaseBuilder.defaults());
        BlockTemplate a1 = template(1, 1000);
        BlockTemplate a2 = template(1, 1030);
        BlockTemplate b = template(2, 1060);
        assertThat(factory.create(a1, PAY).cleanJobs()).as("first template").isTrue();
        assertThat(factory.create(a1, PAY).cleanJobs()).as("second job on the same template").isTrue();
        assertThat(factory.create(a2, PAY).cleanJobs()).as("new transactions, same tip").isFalse();
        assertThat(factory.create(a2, PAY).cleanJobs()).isFalse();
        Job onB = factory.create(b, PAY);
        assertThat(onB.cleanJobs()).as("new tip").isTrue();
        assertThat(onB.notifyMessage().cleanJobs()).isTrue();
        assertThat(onB.ntime()).isEqualTo(1060);
        assertThat(onB.createdAt()).isEqualTo(START);
    }

    @Test
    void ntimeIsNeverBelowTheTemplatesMinTime() {
        BlockTemplate t = BlockTemplate.builder().previousBlockHash(Sha256Hash.ZERO).bits(CompactBits.of(0x207fffff))
                .height(5).curTime(1000).minTime(1200).coinbaseValue(1).build();
        assertThat(new JobFactory(new MutableClock(START), CoinbaseBuilder.defaults()).create(t, PAY).ntime()).isEqualTo(1200);
    }

    @Test
    void bookFindsCurrentJobsAndForgetsExpiredOnes() {
        MutableClock clock = new MutableClock(START);
        JobFactory factory = new JobFactory(clock, CoinbaseBuilder.defaults());
        JobBook book = JobBook.builder().clock(clock).maxAge(Duration.ofSeconds(120)).build();
        Job j1 = factory.create(template(1, 1), PAY);
        book.add(j1);
        assertThat(book.find(j1.id())).isSameAs(j1);
        assertThat(book.latest()).isSameAs(j1);
        assertThat(book.find("nope")).isNull();
        assertThat(book.find(null)).isNull();

        clock.advance(Duration.ofSeconds(120));
        assertThat(book.find(j1.id())).as("exactly maxAge old").isSameAs(j1);
        clock.advance(Duration.ofMillis(1));
        assertThat(book.find(j1.id())).as("expired before it is swept").isNull();
        assertThat(book.size()).isEqualTo(1);
        book.sweep();
        assertThat(book.size()).isZero();
    }

    @Test
    void aNewTipMakesEveryJobOnTheOldTipStale() {
        MutableClock clock = new MutableClock(START);
        JobFactory factory = new JobFactory(clock, CoinbaseBuilder.defaults());
        JobBook book = JobBook.builder().clock(clock).build();
        BlockTemplate a1 = template(1, 1);
        BlockTemplate a2 = template(1, 2);
        Job x = factory.create(a1, PAY);
        Job y = factory.create(a2, PAY);
        book.add(x);
        book.add(y);
        assertThat(book.find(x.id())).as("same tip, older transactions: still valid").isSameAs(x);
        Job z = factory.create(template(2, 3), PAY);
        book.add(z);
        assertThat(book.find(x.id())).isNull();
        assertThat(book.find(y.id())).isNull();
        assertThat(book.find(z.id())).isSameAs(z);
        assertThat(book.size()).isEqualTo(1);
    }

    @Test
    void countBoundDropsTheOldestFirst() {
        MutableClock clock = new MutableClock(START);
        JobFactory factory = new JobFactory(clock, CoinbaseBuilder.defaults());
        JobBook book = JobBook.builder().clock(clock).maxJobs(3).build();
        BlockTemplate t = template(1, 1);
        Job[] jobs = new Job[5];
        for (int i = 0; i < jobs.length; i++) {
            jobs[i] = factory.create(t, PAY);
            book.add(jobs[i]);
        }
        assertThat(book.find(jobs[0].id())).isNull();
        assertThat(book.find(jobs[1].id())).isNull();
        assertThat(book.find(jobs[2].id())).isSameAs(jobs[2]);
        assertThat(book.find(jobs[4].id())).isSameAs(jobs[4]);
        assertThat(book.size()).isEqualTo(3);
        assertThatThrownBy(() -> book.add(jobs[4])).hasMessageContaining("already in the job book");
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> JobBook.builder().build()).hasMessageContaining("needs a clock");
        assertThatThrownBy(() -> JobBook.builder().maxJobs(0)).hasMessageContaining("maxJobs 0 is outside 1..1000000");
        assertThatThrownBy(() -> JobBook.builder().maxAge(Duration.ofMillis(10))).hasMessageContaining("outside 1 second..1 hour");
        assertThatThrownBy(() -> JobBook.builder().maxAge(Duration.ofHours(2))).hasMessageContaining("outside 1 second..1 hour");
    }
}
