package org.stratum4j.core.protocol;

/**
 * {@code mining.set_version_mask [mask_hex]}: the bits the miner may roll from now on.
 *
 * @param mask the version-rolling mask
 */
public record SetVersionMask(int mask) implements PoolMessage {
    @Override
    public RequestId id() {
        return RequestId.NULL;
    }

    @Override
    public String toString() {
        return String.format("SetVersionMask[%08x]", mask);
    }
}
