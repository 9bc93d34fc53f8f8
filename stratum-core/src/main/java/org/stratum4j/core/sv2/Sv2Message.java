package org.stratum4j.core.sv2;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;

/**
 * A Stratum V2 message of the Common and Mining protocols (spec sections 3.6 and 5.3), as
 * immutable values; {@link Sv2Codec} turns them into payloads and back. U32 fields that are
 * identifiers or header fields (channel, job, request and sequence ids; nonce, nTime, version,
 * nBits, flags) are Java {@code int}s holding the 32 bits, to be read unsigned; 256-bit values are
 * typed ({@link Target} for targets, {@link Sha256Hash} in internal byte order for hashes).
 */
public sealed interface Sv2Message {

    /** The message type byte (section 8). */
    int messageType();

    /** Whether the frame carries the {@code channel_msg} bit (0x8000 of the extension type). */
    default boolean isChannelMessage() {
        return false;
    }

    /** Protocol number in {@link SetupConnection#protocol()} for the Mining Protocol. */
    int MINING_PROTOCOL = 0;
    /** The only protocol version there is. */
    int PROTOCOL_VERSION = 2;
    /** {@link SetupConnection} flag: the client takes standard jobs only. */
    int REQUIRES_STANDARD_JOBS = 1;
    /** {@link SetupConnection} flag: the client will declare its own jobs (SetCustomMiningJob). */
    int REQUIRES_WORK_SELECTION = 1 << 1;
    /** {@link SetupConnection} flag: the client needs version rolling. */
    int REQUIRES_VERSION_ROLLING = 1 << 2;
    /** {@link SetupConnectionSuccess} flag: the server does not allow version changes. */
    int REQUIRES_FIXED_VERSION = 1;
    /** {@link SetupConnectionSuccess} flag: the server refuses standard channels. */
    int REQUIRES_EXTENDED_CHANNELS = 1 << 1;

    /**
     * First message of a connection (client to server).
     *
     * @param protocol        0 mining, 1 job declaration, 2 template distribution
     * @param minVersion      lowest protocol version the client speaks (U16)
     * @param maxVersion      highest protocol version the client speaks (U16)
     * @param flags           the protocol's feature flags
     * @param endpointHost    the host the client connected to
     * @param endpointPort    the port it connected to (U16)
     * @param vendor          device or software maker and firmware, e.g. "Bitmain"
     * @param hardwareVersion e.g. "S9i 13.5"
     * @param firmware        firmware name
     * @param deviceId        device identifier, or empty
     */
    record SetupConnection(int protocol, int minVersion, int maxVersion, int flags, String endpointHost, int endpointPort,
            String vendor, String hardwareVersion, String firmware, String deviceId) implements Sv2Message {
        /** Checks ranges and string lengths. */
        public SetupConnection {
            checkU8(protocol, "protocol");
            checkU16(minVersion, "minVersion");
            checkU16(maxVersion, "maxVersion");
            checkStr(endpointHost, "endpointHost");
            checkU16(endpointPort, "endpointPort");
            checkStr(vendor, "vendor");
            checkStr(hardwareVersion, "hardwareVersion");
            checkStr(firmware, "firmware");
            checkStr(deviceId, "deviceId");
        }

        @Override
        public int messageType() {
            return 0x00;
        }
    }

    /** The server accepts the connection. @param usedVersion version used from now on @param flags the server's flags */
    record SetupConnectionSuccess(int usedVersion, int flags) implements Sv2Message {
        /** Checks the version's range. */
        public SetupConnectionSuccess {
            checkU16(usedVersion, "usedVersion");
        }

        @Override
        public int messageType() {
            return 0x01;
        }
    }

    /**
     * The server refuses the connection, then closes it.
     *
     * @param flags     the requested flags it does not support (0 when the reason is another)
     * @param errorCode e.g. {@code unsupported-feature-flags}, {@code protocol-version-mismatch}
     */
    record SetupConnectionError(int flags, String errorCode) implements Sv2Message {
        /** Checks the code's length. */
        public SetupConnectionError {
            checkStr(errorCode, "errorCode");
        }

        @Override
        public int messageType() {
            return 0x02;
        }
    }

    /** A proxy changed the channel's other end. @param channelId the channel */
    record ChannelEndpointChanged(int channelId) implements Sv2Message {
        @Override
        public int messageType() {
            return 0x03;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /**
     * Server asks the client to connect elsewhere (same authority key).
     *
     * @param newHost host, or empty for the present one
     * @param newPort port (U16), or 0 for the present one
     */
    record Reconnect(String newHost, int newPort) implements Sv2Message {
        /** Checks the host's length and the port's range. */
        public Reconnect {
            checkStr(newHost, "newHost");
            checkU16(newPort, "newPort");
        }

        @Override
        public int messageType() {
            return 0x04;
        }
    }

    /**
     * Opens a standard (header-only) channel.
     *
     * @param requestId       client's id for the answer
     * @param userIdentity    the account (and worker), e.g. an address {@code bc1q….rig1}
     * @param nominalHashRate expected hash rate, hashes per second
     * @param maxTarget       the largest target the device can take
     */
    record OpenStandardMiningChannel(int requestId, String userIdentity, float nominalHashRate, Target maxTarget)
            implements Sv2Message {
        /** Checks the identity's length. */
        public OpenStandardMiningChannel {
            checkStr(userIdentity, "userIdentity");
            Objects.requireNonNull(maxTarget, "maxTarget");
        }

        @Override
        public int messageType() {
            return 0x10;
        }
    }

    /**
     * A standard channel is open.
     *
     * @param requestId        the request's id
     * @param channelId        the new channel
     * @param target           its initial target
     * @param extranoncePrefix its extranonce prefix (at most 32 bytes)
     * @param groupChannelId   the group it belongs to
     */
    record OpenStandardMiningChannelSuccess(int requestId, int channelId, Target target, byte[] extranoncePrefix, int groupChannelId)
            implements Sv2Message {
        /** Checks and copies the prefix. */
        public OpenStandardMiningChannelSuccess {
            Objects.requireNonNull(target, "target");
            extranoncePrefix = checkBytes(extranoncePrefix, 32, "extranoncePrefix");
        }

        @Override
        public byte[] extranoncePrefix() {
            return extranoncePrefix.clone();
        }

        @Override
        public int messageType() {
            return 0x11;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OpenStandardMiningChannelSuccess m && requestId == m.requestId && channelId == m.channelId
                    && target.equals(m.target) && Arrays.equals(extranoncePrefix, m.extranoncePrefix)
                    && groupChannelId == m.groupChannelId;
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, channelId, target, Arrays.hashCode(extranoncePrefix), groupChannelId);
        }
    }

    /**
     * A channel could not be opened.
     *
     * @param requestId the request's id
     * @param errorCode e.g. {@code unknown-user}, {@code max-target-out-of-range}
     */
    record OpenMiningChannelError(int requestId, String errorCode) implements Sv2Message {
        /** Checks the code's length. */
        public OpenMiningChannelError {
            checkStr(errorCode, "errorCode");
        }

        @Override
        public int messageType() {
            return 0x12;
        }
    }

    /**
     * Opens an extended channel (the client rolls its own extranonce).
     *
     * @param requestId         client's id for the answer
     * @param userIdentity      the account (and worker)
     * @param nominalHashRate   expected hash rate, hashes per second
     * @param maxTarget         the largest target the device can take
     * @param minExtranonceSize the fewest extranonce bytes the client needs (U16)
     */
    record OpenExtendedMiningChannel(int requestId, String userIdentity, float nominalHashRate, Target maxTarget,
            int minExtranonceSize) implements Sv2Message {
        /** Checks lengths and ranges. */
        public OpenExtendedMiningChannel {
            checkStr(userIdentity, "userIdentity");
            Objects.requireNonNull(maxTarget, "maxTarget");
            checkU16(minExtranonceSize, "minExtranonceSize");
        }

        @Override
        public int messageType() {
            return 0x13;
        }
    }

    /**
     * An extended channel is open.
     *
     * @param requestId        the request's id
     * @param channelId        the new channel
     * @param target           its initial target
     * @param extranonceSize   extranonce bytes the client rolls (U16)
     * @param extranoncePrefix bytes the pool fixed before them (at most 32)
     * @param groupChannelId   the group it belongs to
     */
    record OpenExtendedMiningChannelSuccess(int requestId, int channelId, Target target, int extranonceSize,
            byte[] extranoncePrefix, int groupChannelId) implements Sv2Message {
        /** Checks and copies the prefix. */
        public OpenExtendedMiningChannelSuccess {
            Objects.requireNonNull(target, "target");
            checkU16(extranonceSize, "extranonceSize");
            extranoncePrefix = checkBytes(extranoncePrefix, 32, "extranoncePrefix");
        }

        @Override
        public byte[] extranoncePrefix() {
            return extranoncePrefix.clone();
        }

        @Override
        public int messageType() {
            return 0x14;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OpenExtendedMiningChannelSuccess m && requestId == m.requestId && channelId == m.channelId
                    && target.equals(m.target) && extranonceSize == m.extranonceSize
                    && Arrays.equals(extranoncePrefix, m.extranoncePrefix) && groupChannelId == m.groupChannelId;
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, channelId, target, extranonceSize, Arrays.hashCode(extranoncePrefix), groupChannelId);
        }
    }

    /**
     * A header-only job on a standard channel.
     *
     * @param channelId  the channel
     * @param jobId      the job
     * @param minNtime   empty for a future job (activated by {@link SetNewPrevHash}), else the
     *                   smallest nTime and the job is active at once
     * @param version    block version
     * @param merkleRoot the merkle root, computed by the pool
     */
    record NewMiningJob(int channelId, int jobId, OptionalInt minNtime, int version, Sha256Hash merkleRoot) implements Sv2Message {
        /** Checks for nulls. */
        public NewMiningJob {
            Objects.requireNonNull(minNtime, "minNtime");
            Objects.requireNonNull(merkleRoot, "merkleRoot");
        }

        @Override
        public int messageType() {
            return 0x15;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /**
     * The client's new hash rate or maximum target.
     *
     * @param channelId       the channel
     * @param nominalHashRate hashes per second
     * @param maximumTarget   the largest target the client wants
     */
    record UpdateChannel(int channelId, float nominalHashRate, Target maximumTarget) implements Sv2Message {
        /** Checks for nulls. */
        public UpdateChannel {
            Objects.requireNonNull(maximumTarget, "maximumTarget");
        }

        @Override
        public int messageType() {
            return 0x16;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /** An {@link UpdateChannel} was refused. @param channelId the channel @param errorCode why */
    record UpdateChannelError(int channelId, String errorCode) implements Sv2Message {
        /** Checks the code's length. */
        public UpdateChannelError {
            checkStr(errorCode, "errorCode");
        }

        @Override
        public int messageType() {
            return 0x17;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /** Either side ends a channel. @param channelId the channel @param reasonCode why */
    record CloseChannel(int channelId, String reasonCode) implements Sv2Message {
        /** Checks the code's length. */
        public CloseChannel {
            checkStr(reasonCode, "reasonCode");
        }

        @Override
        public int messageType() {
            return 0x18;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /** A new extranonce prefix for jobs sent from now on. @param channelId the channel @param extranoncePrefix at most 32 bytes */
    record SetExtranoncePrefix(int channelId, byte[] extranoncePrefix) implements Sv2Message {
        /** Checks and copies the prefix. */
        public SetExtranoncePrefix {
            extranoncePrefix = checkBytes(extranoncePrefix, 32, "extranoncePrefix");
        }

        @Override
        public byte[] extranoncePrefix() {
            return extranoncePrefix.clone();
        }

        @Override
        public int messageType() {
            return 0x19;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetExtranoncePrefix m && channelId == m.channelId && Arrays.equals(extranoncePrefix, m.extranoncePrefix);
        }

        @Override
        public int hashCode() {
            return 31 * channelId + Arrays.hashCode(extranoncePrefix);
        }
    }

    /**
     * A share on a standard channel.
     *
     * @param channelId      the channel
     * @param sequenceNumber the client's running number, echoed in the answer
     * @param jobId          the job
     * @param nonce          header nonce
     * @param ntime          header nTime
     * @param version        full header version
     */
    record SubmitSharesStandard(int channelId, int sequenceNumber, int jobId, int nonce, int ntime, int version) implements Sv2Message {
        @Override
        public int messageType() {
            return 0x1a;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /**
     * A share on an extended channel.
     *
     * @param channelId      the channel
     * @param sequenceNumber the client's running number
     * @param jobId          the job
     * @param nonce          header nonce
     * @param ntime          header nTime
     * @param version        full header version
     * @param extranonce     the client's extranonce (the channel's negotiated size, at most 32 bytes)
     */
    record SubmitSharesExtended(int channelId, int sequenceNumber, int jobId, int nonce, int ntime, int version, byte[] extranonce)
            implements Sv2Message {
        /** Checks and copies the extranonce. */
        public SubmitSharesExtended {
            extranonce = checkBytes(extranonce, 32, "extranonce");
        }

        @Override
        public byte[] extranonce() {
            return extranonce.clone();
        }

        @Override
        public int messageType() {
            return 0x1b;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SubmitSharesExtended m && channelId == m.channelId && sequenceNumber == m.sequenceNumber
                    && jobId == m.jobId && nonce == m.nonce && ntime == m.ntime && version == m.version
                    && Arrays.equals(extranonce, m.extranonce);
        }

        @Override
        public int hashCode() {
            return Objects.hash(channelId, sequenceNumber, jobId, nonce, ntime, version, Arrays.hashCode(extranonce));
        }
    }

    /**
     * Shares accepted (possibly a batch).
     *
     * @param channelId               the channel
     * @param lastSequenceNumber      the last accepted share's sequence number
     * @param newSubmitsAcceptedCount shares acknowledged by this message
     * @param newSharesSum            the sum of their difficulties
     */
    record SubmitSharesSuccess(int channelId, int lastSequenceNumber, int newSubmitsAcceptedCount, long newSharesSum)
            implements Sv2Message {
        @Override
        public int messageType() {
            return 0x1c;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /**
     * A share refused.
     *
     * @param channelId      the channel
     * @param sequenceNumber the share's sequence number
     * @param errorCode      {@code invalid-channel-id}, {@code invalid-job-id}, {@code stale-share},
     *                       {@code difficulty-too-low}, {@code duplicate-share}, …
     */
    record SubmitSharesError(int channelId, int sequenceNumber, String errorCode) implements Sv2Message {
        /** Checks the code's length. */
        public SubmitSharesError {
            checkStr(errorCode, "errorCode");
        }

        @Override
        public int messageType() {
            return 0x1d;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /**
     * A job with the coinbase split around the extranonce, for extended (and group) channels.
     *
     * @param channelId             the channel
     * @param jobId                 the job
     * @param minNtime              empty for a future job, else the smallest nTime
     * @param version               block version
     * @param versionRollingAllowed whether the BIP320 bits may be rolled
     * @param merklePath            sibling hashes from the coinbase up, internal order (at most 255)
     * @param coinbaseTxPrefix      coinbase bytes before the extranonce, without BIP141 fields
     * @param coinbaseTxSuffix      coinbase bytes after it, without BIP141 fields
     */
    record NewExtendedMiningJob(int channelId, int jobId, OptionalInt minNtime, int version, boolean versionRollingAllowed,
            List<Sha256Hash> merklePath, byte[] coinbaseTxPrefix, byte[] coinbaseTxSuffix) implements Sv2Message {
        /** Checks sizes and copies. */
        public NewExtendedMiningJob {
            Objects.requireNonNull(minNtime, "minNtime");
            merklePath = List.copyOf(merklePath);
            if (merklePath.size() > 255) {
                throw new IllegalArgumentException("merklePath holds at most 255 hashes, got " + merklePath.size());
            }
            coinbaseTxPrefix = checkBytes(coinbaseTxPrefix, 0xFFFF, "coinbaseTxPrefix");
            coinbaseTxSuffix = checkBytes(coinbaseTxSuffix, 0xFFFF, "coinbaseTxSuffix");
        }

        @Override
        public byte[] coinbaseTxPrefix() {
            return coinbaseTxPrefix.clone();
        }

        @Override
        public byte[] coinbaseTxSuffix() {
            return coinbaseTxSuffix.clone();
        }

        @Override
        public int messageType() {
            return 0x1f;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NewExtendedMiningJob m && channelId == m.channelId && jobId == m.jobId && minNtime.equals(m.minNtime)
                    && version == m.version && versionRollingAllowed == m.versionRollingAllowed && merklePath.equals(m.merklePath)
                    && Arrays.equals(coinbaseTxPrefix, m.coinbaseTxPrefix) && Arrays.equals(coinbaseTxSuffix, m.coinbaseTxSuffix);
        }

        @Override
        public int hashCode() {
            return Objects.hash(channelId, jobId, minNtime, version, versionRollingAllowed, merklePath,
                    Arrays.hashCode(coinbaseTxPrefix), Arrays.hashCode(coinbaseTxSuffix));
        }
    }

    /**
     * A new previous block: only job {@code jobId} is valid from now on.
     *
     * @param channelId the channel (or group)
     * @param jobId     the future job to mine now
     * @param prevHash  previous block hash, internal order (as in the header)
     * @param minNtime  smallest nTime
     * @param nbits     header nBits
     */
    record SetNewPrevHash(int channelId, int jobId, Sha256Hash prevHash, int minNtime, int nbits) implements Sv2Message {
        /** Checks for nulls. */
        public SetNewPrevHash {
            Objects.requireNonNull(prevHash, "prevHash");
        }

        @Override
        public int messageType() {
            return 0x20;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /** The channel's share target from now on. @param channelId the channel @param maximumTarget the target */
    record SetTarget(int channelId, Target maximumTarget) implements Sv2Message {
        /** Checks for nulls. */
        public SetTarget {
            Objects.requireNonNull(maximumTarget, "maximumTarget");
        }

        @Override
        public int messageType() {
            return 0x21;
        }

        @Override
        public boolean isChannelMessage() {
            return true;
        }
    }

    /**
     * A message this library does not model (another protocol's, an extension's, or SetCustomMiningJob
     * and group messages): kept whole so a caller can log or ignore it, as the spec asks.
     *
     * @param extensionType the frame's extension type, with its channel bit
     * @param messageType   the message type
     * @param payload       the payload
     */
    record Unknown(int extensionType, int messageType, byte[] payload) implements Sv2Message {
        /** Copies the payload. */
        public Unknown {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean isChannelMessage() {
            return (extensionType & Sv2Codec.CHANNEL_BIT) != 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown m && extensionType == m.extensionType && messageType == m.messageType
                    && Arrays.equals(payload, m.payload);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * extensionType + messageType) + Arrays.hashCode(payload);
        }
    }

    private static void checkU8(int v, String what) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException(what + " is a U8 (0..255), got " + v);
        }
    }

    private static void checkU16(int v, String what) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(what + " is a U16 (0..65535), got " + v);
        }
    }

    private static void checkStr(String s, String what) {
        Objects.requireNonNull(s, what);
        int n = s.getBytes(StandardCharsets.UTF_8).length;
        if (n > 255) {
            throw new IllegalArgumentException(what + " is at most 255 bytes of UTF-8 (STR0_255), got " + n);
        }
    }

    private static byte[] checkBytes(byte[] b, int max, String what) {
        Objects.requireNonNull(b, what);
        if (b.length > max) {
            throw new IllegalArgumentException(what + " is at most " + max + " bytes, got " + b.length);
        }
        return b.clone();
    }
}
