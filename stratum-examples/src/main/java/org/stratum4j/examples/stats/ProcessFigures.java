package org.stratum4j.examples.stats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pool process's own figures for operators and the load generator: resident memory (from
 * {@code /proc/self/status} where there is one; -1 elsewhere), heap in use, committed and left
 * after the last collection, live threads, and the process id (so a local tool can ask the JVM for a collection before it reads
 * the heap).
 */
public record ProcessFigures(long pid, long residentBytes, long heapUsedBytes, long heapCommittedBytes, long heapAfterLastGcBytes,
                             int threads) {

    /** The figures now. */
    public static ProcessFigures now() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessFigures(ProcessHandle.current().pid(), readResidentBytes(), heap.getUsed(), heap.getCommitted(),
                heapAfterLastGc(), ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /**
     * What the heap's pools held right after their last collection (-1 before the first): the
     * figure to watch for a leak, since "in use" also counts garbage not yet collected.
     */
    private static long heapAfterLastGc() {
        long total = 0;
        boolean any = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            MemoryUsage after = pool.getCollectionUsage();
            if (after != null) {
                total += after.getUsed();
                any = true;
            }
        }
        return any ? total : -1;
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
