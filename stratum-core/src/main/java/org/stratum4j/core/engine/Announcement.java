package org.stratum4j.core.engine;

import java.util.Objects;
import org.stratum4j.core.job.Job;

/**
 * A new job for every session, with its {@code mining.notify} line encoded once. The transport
 * hands it to {@link PoolEngine#deliver} for each session on each of its loops.
 *
 * @param job  the job
 * @param line the encoded notify, newline included (never modified)
 */
public record Announcement(Job job, byte[] line) {
    /** Checks the components. */
    public Announcement {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(line, "line");
    }
}
