package org.stratum4j.examples.loadgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one load-generator process saw: connections, submits and their answers, round-trip
 * latencies, and when each connection received each new block's job. Reports of several
 * processes {@link #merge} into one; the job times are {@code System.nanoTime()} values, which
 * on Linux ({@code CLOCK_MONOTONIC}) are comparable across processes of one machine.
 */
public final class LoadReport {

    /** When the connections received one clean job: first and last arrival, and how many got it. */
    public static final class JobArrival {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int connections;

        void arrived(long nanos) {
            add(nanos, nanos, 1);
        }

        void add(long firstNanos, long lastNanos, int count) {
            first = Math.min(first, firstNanos);
            last = Math.max(last, lastNanos);
            connections += count;
        }

        /** Nanoseconds from the first connection to receive the job to the last. */
        public long spreadNanos() {
            return last - first;
        }

        /** How many connections received it. */
        public int connections() {
            return connections;
        }
    }

    int connectionsWanted;
    int connectionsHeld;
    int connectFailures;
    int authorizeFailures;
    int closedByPool;
    long submitsSent;
    long answered;
    long accepted;
    long unanswered;
    long busySkips;
    long warmupSubmits;
    double submitSeconds;
    final Map<Integer, Long> rejectedByCode = new TreeMap<>();
    final Map<String, Long> closeReasons = new TreeMap<>();
    final LatencyHistogram roundTrip = new LatencyHistogram();
    /** The round trips of submits in flight while a new block's job was still reaching the connections of their process. */
    final LatencyHistogram roundTripDuringFanOut = new LatencyHistogram();
    final Map<String, JobArrival> jobs = new LinkedHashMap<>();
    long reconnects;
    long returned;
    long stillOut;
    double outOfWorkSeconds;
    final LatencyHistogram outOfWork = new LatencyHistogram();

    /** A lost connection was without work for {@code nanos}; {@code back}: it has a job again (else the run ended first). */
    void outOfWork(long nanos, boolean back) {
        if (back) {
            returned++;
            outOfWork.record(nanos / 1000);
        } else {
            stillOut++;
        }
        outOfWorkSeconds += nanos / 1e9;
    }

    /** Connection attempts after a loss (with {@code reconnectWithin}). */
    public long reconnects() {
        return reconnects;
    }

    /** Lost connections that had a job again before the end. */
    public long returned() {
        return returned;
    }

    /** Lost connections still without work at the end. */
    public long stillOut() {
        return stillOut;
    }

    /** Of the lost connections that came back, how long each was without work, in microseconds. */
    public LatencyHistogram outOfWork() {
        return outOfWork;
    }

    /** Connection-seconds without work, over all losses: hashrate lost is this over connections × run time. */
    public double outOfWorkSeconds() {
        return outOfWorkSeconds;
    }

    /** Connections asked for. */
    public int connectionsWanted() {
        return connectionsWanted;
    }

    /** Connections that were subscribed, authorized and had a job when submitting began. */
    public int connectionsHeld() {
        return connectionsHeld;
    }

    /** Submits sent after the warm-up (the measured ones). */
    public long submitsSent() {
        return submitsSent;
    }

    /** Measured submits answered (true or an error). */
    public long answered() {
        return answered;
    }

    /**
     * Submits never answered, warm-up included: still waiting when the run ended, or lost with a
     * connection the pool closed.
     */
    public long unanswered() {
        return unanswered;
    }

    /** Submits answered true. */
    public long accepted() {
        return accepted;
    }

    /** Rejected submits by Stratum error code. */
    public Map<Integer, Long> rejectedByCode() {
        return Map.copyOf(rejectedByCode);
    }

    /** Round-trip times of answered submits, in microseconds. */
    public LatencyHistogram roundTrip() {
        return roundTrip;
    }

    /**
     * Round-trip times, in microseconds, of the answered submits that were in flight while a new
     * block's job was still reaching the connections of the generator process that sent them
     * (a subset of {@link #roundTrip()}).
     */
    public LatencyHistogram roundTripDuringFanOut() {
        return roundTripDuringFanOut;
    }

    /** Connections the pool closed during the run. */
    public int closedByPool() {
        return closedByPool;
    }

    /** Per clean job (a new block), when it reached the connections. */
    public Map<String, JobArrival> jobs() {
        return jobs;
    }

    /** Adds another process's report to this one. */
    public void merge(LoadReport o) {
        connectionsWanted += o.connectionsWanted;
        connectionsHeld += o.connectionsHeld;
        connectFailures += o.connectFailures;
        authorizeFailures += o.authorizeFailures;
        closedByPool += o.closedByPool;
        submitsSent += o.submitsSent;
        answered += o.answered;
        accepted += o.accepted;
        unanswered += o.unanswered;
        busySkips += o.busySkips;
        warmupSubmits += o.warmupSubmits;
        submitSeconds = Math.max(submitSeconds, o.submitSeconds);
        o.rejectedByCode.forEach((k, v) -> rejectedByCode.merge(k, v, Long::sum));
        o.closeReasons.forEach((k, v) -> closeReasons.merge(k, v, Long::sum));
        roundTrip.add(o.roundTrip);
        roundTripDuringFanOut.add(o.roundTripDuringFanOut);
        o.jobs.forEach((id, a) -> jobs.computeIfAbsent(id, k -> new JobArrival()).add(a.first, a.last, a.connections));
        reconnects += o.reconnects;
        returned += o.returned;
        stillOut += o.stillOut;
        outOfWorkSeconds += o.outOfWorkSeconds;
        outOfWork.add(o.outOfWork);
    }

    private static final String PREFIX = "loadgen-report ";

    /** Lines a child process prints for its parent. */
    public List<String> encode() {
        List<String> out = new ArrayList<>();
        out.add(PREFIX + "counts " + connectionsWanted + " " + connectionsHeld + " " + connectFailures + " " + authorizeFailures
                + " " + closedByPool + " " + submitsSent + " " + answered + " " + accepted + " " + unanswered + " " + busySkips
                + " " + submitSeconds + " " + warmupSubmits);
        rejectedByCode.forEach((k, v) -> out.add(PREFIX + "rejected " + k + " " + v));
        closeReasons.forEach((k, v) -> out.add(PREFIX + "close " + v + " " + k));
        out.add(PREFIX + "rtt " + roundTrip.encode());
        out.add(PREFIX + "rttf " + roundTripDuringFanOut.encode());
        out.add(PREFIX + "lost " + reconnects + " " + returned + " " + stillOut + " " + outOfWorkSeconds);
        out.add(PREFIX + "out " + outOfWork.encode());
        jobs.forEach((id, a) -> out.add(PREFIX + "job " + id + " " + a.first + " " + a.last + " " + a.connections));
        out.add(PREFIX + "end");
        return out;
    }

    /** True for a line {@link #encode()} wrote. */
    public static boolean isReportLine(String line) {
        return line.startsWith(PREFIX);
    }

    /** True for the last line {@link #encode()} writes. */
    public static boolean isEndLine(String line) {
        return line.equals(PREFIX + "end");
    }

    /** Reads {@link #encode()}'s lines (other lines are ignored). */
    public static LoadReport decode(List<String> lines) {
        LoadReport r = new LoadReport();
        for (String line : lines) {
            if (!isReportLine(line)) {
                continue;
            }
            String[] p = line.substring(PREFIX.length()).split(" ", 3);
            switch (p[0]) {
                case "counts" -> {
                    String[] c = line.substring(PREFIX.length() + "counts ".length()).split(" ");
                    r.connectionsWanted = Integer.parseInt(c[0]);
                    r.connectionsHeld = Integer.parseInt(c[1]);
                    r.connectFailures = Integer.parseInt(c[2]);
                    r.authorizeFailures = Integer.parseInt(c[3]);
                    r.closedByPool = Integer.parseInt(c[4]);
                    r.submitsSent = Long.parseLong(c[5]);
                    r.answered = Long.parseLong(c[6]);
                    r.accepted = Long.parseLong(c[7]);
                    r.unanswered = Long.parseLong(c[8]);
                    r.busySkips = Long.parseLong(c[9]);
                    r.submitSeconds = Double.parseDouble(c[10]);
                    r.warmupSubmits = Long.parseLong(c[11]);
                }
                case "rejected" -> r.rejectedByCode.merge(Integer.parseInt(p[1]), Long.parseLong(p[2]), Long::sum);
                case "close" -> r.closeReasons.merge(p[2], Long.parseLong(p[1]), Long::sum);
                case "rtt" -> r.roundTrip.add(LatencyHistogram.decode(line.substring(PREFIX.length() + "rtt ".length())));
                case "rttf" -> r.roundTripDuringFanOut.add(LatencyHistogram.decode(line.substring(PREFIX.length() + "rttf ".length())));
                case "lost" -> {
                    String[] l = line.substring(PREFIX.length() + "lost ".length()).split(" ");
                    r.reconnects = Long.parseLong(l[0]);
                    r.returned = Long.parseLong(l[1]);
                    r.stillOut = Long.parseLong(l[2]);
                    r.outOfWorkSeconds = Double.parseDouble(l[3]);
                }
                case "out" -> r.outOfWork.add(LatencyHistogram.decode(line.substring(PREFIX.length() + "out ".length())));
                case "job" -> {
                    String[] j = line.substring(PREFIX.length() + "job ".length()).split(" ");
                    r.jobs.computeIfAbsent(j[0], k -> new JobArrival())
                            .add(Long.parseLong(j[1]), Long.parseLong(j[2]), Integer.parseInt(j[3]));
                }
                default -> {
                    // "end" and anything newer than this reader
                }
            }
        }
        return r;
    }
}
