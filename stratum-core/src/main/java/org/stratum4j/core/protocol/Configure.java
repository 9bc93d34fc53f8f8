package org.stratum4j.core.protocol;

import java.util.List;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * {@code mining.configure [[extension…], {parameter: value}]} (BIP310). Every requested extension
 * must be answered, known or not.
 *
 * @param id                        the request id
 * @param extensions                the extensions requested, in order
 * @param versionRollingMask        {@code version-rolling.mask}, or null when not given
 * @param versionRollingMinBitCount {@code version-rolling.min-bit-count}, or null when not given
 * @param minimumDifficulty         {@code minimum-difficulty.value}, or null when not given
 */
public record Configure(RequestId id, List<String> extensions, Integer versionRollingMask,
        Integer versionRollingMinBitCount, Difficulty minimumDifficulty) implements MinerMessage {

    /** Extension name: BIP320 version rolling. */
    public static final String VERSION_ROLLING = "version-rolling";
    /** Extension name: a floor for the share difficulty. */
    public static final String MINIMUM_DIFFICULTY = "minimum-difficulty";
    /** Extension name: the miner accepts {@code mining.set_extranonce}. */
    public static final String SUBSCRIBE_EXTRANONCE = "subscribe-extranonce";
    /** Extension name: informational (BIP310). */
    public static final String INFO = "info";

    /** Checks and copies the components. */
    public Configure {
        Objects.requireNonNull(id, "id");
        extensions = List.copyOf(extensions);
    }

    /** Whether {@code extension} was requested. */
    public boolean requests(String extension) {
        return extensions.contains(extension);
    }
}
