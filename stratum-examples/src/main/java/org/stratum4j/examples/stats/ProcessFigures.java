package org.stratum4j.examples.stats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pool process's own figures for operators and the load generator: resident memory (from
 * {@code /proc/self/status} where there is one; -1 elsewhere), heap in use and committed, live
 * threads, and the process id (so a local tool can ask the JVM for a collection before it reads
 * the heap).
 */
public record ProcessFigures(long pid, long residentBytes, long heapUsedBytes, long heapCommittedBytes, int threads) {

    /** The figures now. */
    public static ProcessFigures now() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessFigures(ProcessHandle.current().pid(), readResidentBytes(), heap.getUsed(), heap.getCommitted(),
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    private static long readResidentBytes() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).strip().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // the kernel prints kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
