package org.stratum4j.core.sv2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.sv2.Sv2Message.ChannelEndpointChanged;
import org.stratum4j.core.sv2.Sv2Message.CloseChannel;
import org.stratum4j.core.sv2.Sv2Message.NewExtendedMiningJob;
import org.stratum4j.core.sv2.Sv2Message.NewMiningJob;
import org.stratum4j.core.sv2.Sv2Message.OpenExtendedMiningChannel;
import org.stratum4j.core.sv2.Sv2Message.OpenExtendedMiningChannelSuccess;
import org.stratum4j.core.sv2.Sv2Message.OpenMiningChannelError;
import org.stratum4j.core.sv2.Sv2Message.OpenStandardMiningChannel;
import org.stratum4j.core.sv2.Sv2Message.OpenStandardMiningChannelSuccess;
import org.stratum4j.core.sv2.Sv2Message.Reconnect;
import org.stratum4j.core.sv2.Sv2Message.SetExtranoncePrefix;
import org.stratum4j.core.sv2.Sv2Message.SetNewPrevHash;
import org.stratum4j.core.sv2.Sv2Message.SetTarget;
import org.stratum4j.core.sv2.Sv2Message.SetupConnection;
import org.stratum4j.core.sv2.Sv2Message.SetupConnectionError;
import org.stratum4j.core.sv2.Sv2Message.SetupConnectionSuccess;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesError;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesExtended;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesStandard;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesSuccess;
import org.stratum4j.core.sv2.Sv2Message.Unknown;
import org.stratum4j.core.sv2.Sv2Message.UpdateChannel;
import org.stratum4j.core.sv2.Sv2Message.UpdateChannelError;

/**
 * Stratum V2's binary encoding of {@link Sv2Message}s: a frame is a 6-byte header
 * ({@code extension_type} U16, {@code msg_type} U8, {@code msg_length} U24, little-endian) and the
 * payload. Decoding checks every length against the bytes present and throws
 * {@link Sv2DecodeException}, never anything unchecked; bytes after the last field (TLV fields of
 * extensions that were not negotiated) are ignored, as the spec's extension rules allow.
 */
public final class Sv2Codec {

    /** The {@code channel_msg} bit of the extension type. */
    public static final int CHANNEL_BIT = 0x8000;
    /** Bytes of the plaintext frame header. */
    public static final int HEADER_LENGTH = 6;

    private Sv2Codec() {
    }

    /** The frame's extension type for {@code message}: 0, with the channel bit for channel messages. */
    public static int extensionType(Sv2Message message) {
        if (message instanceof Unknown u) {
            return u.extensionType();
        }
        return message.isChannelMessage() ? CHANNEL_BIT : 0;
    }

    /** The payload of {@code message}, without the header. */
    public static byte[] encodePayload(Sv2Message message) {
        return write(message).toByteArray();
    }

    /** The whole plaintext frame of {@code message}: header and payload. */
    public static byte[] encodeFrame(Sv2Message message) {
        Sv2Writer payload = write(message);
        byte[] frame = new byte[HEADER_LENGTH + payload.length()];
        writeHeader(frame, 0, extensionType(message), message.messageType(), payload.length());
        System.arraycopy(payload.array(), 0, frame, HEADER_LENGTH, payload.length());
        return frame;
    }

    /** Writes a frame header at {@code offset}. */
    public static void writeHeader(byte[] out, int offset, int extensionType, int messageType, int payloadLength) {
        if (payloadLength < 0 || payloadLength > 0xFF_FFFF) {
            throw new IllegalArgumentException("a payload is 0..16777215 bytes (U24), got " + payloadLength);
        }
        LittleEndian.write(extensionType, out, offset, 2);
        out[offset + 2] = (byte) messageType;
        LittleEndian.write(payloadLength, out, offset + 3, 3);
    }

    /** The extension type in a header at {@code offset}. */
    public static int headerExtensionType(byte[] header, int offset) {
        return (int) LittleEndian.read(header, offset, 2);
    }

    /** The message type in a header at {@code offset}. */
    public static int headerMessageType(byte[] header, int offset) {
        return header[offset + 2] & 0xFF;
    }

    /** The payload length in a header at {@code offset}. */
    public static int headerPayloadLength(byte[] header, int offset) {
        return (int) LittleEndian.read(header, offset + 3, 3);
    }

    /**
     * Decodes a payload. Extension type 0 (the channel bit aside) selects the Common and Mining
     * messages; anything else, or a type this library does not model, comes back as {@link Unknown}.
     *
     * @throws Sv2DecodeException when the payload is shorter than its fields say
     */
    public static Sv2Message decode(int extensionType, int messageType, byte[] payload, int offset, int length)
            throws Sv2DecodeException {
        if ((extensionType & ~CHANNEL_BIT) != 0) {
            return new Unknown(extensionType, messageType, Arrays.copyOfRange(payload, offset, offset + length));
        }
        try {
            return decodeCore(extensionType, messageType, payload, offset, length);
        } catch (IllegalArgumentException e) {
            // A value the message's own checks refuse, e.g. a name whose malformed UTF-8 grows past 255 bytes as text.
            throw new Sv2DecodeException("message " + messageType + ": " + e.getMessage());
        }
    }

    private static Sv2Message decodeCore(int extensionType, int messageType, byte[] payload, int offset, int length)
            throws Sv2DecodeException {
        Sv2Reader r = new Sv2Reader(payload, offset, length);
        return switch (messageType) {
            case 0x00 -> new SetupConnection(r.u8("protocol"), r.u16("min_version"), r.u16("max_version"), r.u32("flags"),
                    r.str0255("endpoint_host"), r.u16("endpoint_port"), r.str0255("vendor"), r.str0255("hardware_version"),
                    r.str0255("firmware"), r.str0255("device_id"));
            case 0x01 -> new SetupConnectionSuccess(r.u16("used_version"), r.u32("flags"));
            case 0x02 -> new SetupConnectionError(r.u32("flags"), r.str0255("error_code"));
            case 0x03 -> new ChannelEndpointChanged(r.u32("channel_id"));
            case 0x04 -> new Reconnect(r.str0255("new_host"), r.u16("new_port"));
            case 0x10 -> new OpenStandardMiningChannel(r.u32("request_id"), r.str0255("user_identity"), r.f32("nominal_hash_rate"),
                    r.u256Target("max_target"));
            case 0x11 -> new OpenStandardMiningChannelSuccess(r.u32("request_id"), r.u32("channel_id"), r.u256Target("target"),
                    r.bytes(32, 1, "extranonce_prefix"), r.u32("group_channel_id"));
            case 0x12 -> new OpenMiningChannelError(r.u32("request_id"), r.str0255("error_code"));
            case 0x13 -> new OpenExtendedMiningChannel(r.u32("request_id"), r.str0255("user_identity"), r.f32("nominal_hash_rate"),
                    r.u256Target("max_target"), r.u16("min_extranonce_size"));
            case 0x14 -> new OpenExtendedMiningChannelSuccess(r.u32("request_id"), r.u32("channel_id"), r.u256Target("target"),
                    r.u16("extranonce_size"), r.bytes(32, 1, "extranonce_prefix"), r.u32("group_channel_id"));
            case 0x15 -> new NewMiningJob(r.u32("channel_id"), r.u32("job_id"), option(r, "min_ntime"), r.u32("version"),
                    r.u256Hash("merkle_root"));
            case 0x16 -> new UpdateChannel(r.u32("channel_id"), r.f32("nominal_hash_rate"), r.u256Target("maximum_target"));
            case 0x17 -> new UpdateChannelError(r.u32("channel_id"), r.str0255("error_code"));
            case 0x18 -> new CloseChannel(r.u32("channel_id"), r.str0255("reason_code"));
            case 0x19 -> new SetExtranoncePrefix(r.u32("channel_id"), r.bytes(32, 1, "extranonce_prefix"));
            case 0x1a -> new SubmitSharesStandard(r.u32("channel_id"), r.u32("sequence_number"), r.u32("job_id"), r.u32("nonce"),
                    r.u32("ntime"), r.u32("version"));
            case 0x1b -> new SubmitSharesExtended(r.u32("channel_id"), r.u32("sequence_number"), r.u32("job_id"), r.u32("nonce"),
                    r.u32("ntime"), r.u32("version"), r.bytes(32, 1, "extranonce"));
            case 0x1c -> new SubmitSharesSuccess(r.u32("channel_id"), r.u32("last_sequence_number"),
                    r.u32("new_submits_accepted_count"), r.u64("new_shares_sum"));
            case 0x1d -> new SubmitSharesError(r.u32("channel_id"), r.u32("sequence_number"), r.str0255("error_code"));
            case 0x1f -> newExtendedMiningJob(r);
            case 0x20 -> new SetNewPrevHash(r.u32("channel_id"), r.u32("job_id"), r.u256Hash("prev_hash"), r.u32("min_ntime"),
                    r.u32("nbits"));
            case 0x21 -> new SetTarget(r.u32("channel_id"), r.u256Target("maximum_target"));
            default -> new Unknown(extensionType, messageType, Arrays.copyOfRange(payload, offset, offset + length));
        };
    }

    private static NewExtendedMiningJob newExtendedMiningJob(Sv2Reader r) throws Sv2DecodeException {
        int channelId = r.u32("channel_id");
        int jobId = r.u32("job_id");
        OptionalInt minNtime = option(r, "min_ntime");
        int version = r.u32("version");
        boolean rolling = r.bool("version_rolling_allowed");
        int n = r.u8("merkle_path");
        if (r.remaining() < n * 32) {
            throw new Sv2DecodeException("merkle_path names " + n + " hashes, " + r.remaining() + " bytes left");
        }
        List<Sha256Hash> path = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            path.add(r.u256Hash("merkle_path"));
        }
        return new NewExtendedMiningJob(channelId, jobId, minNtime, version, rolling, path, r.bytes(0xFFFF, 2, "coinbase_tx_prefix"),
                r.bytes(0xFFFF, 2, "coinbase_tx_suffix"));
    }

    private static OptionalInt option(Sv2Reader r, String what) throws Sv2DecodeException {
        int n = r.u8(what);
        if (n > 1) {
            throw new Sv2DecodeException(what + " is an OPTION (0 or 1 values), got " + n);
        }
        return n == 0 ? OptionalInt.empty() : OptionalInt.of(r.u32(what));
    }

    private static void option(Sv2Writer w, OptionalInt v) {
        if (v.isPresent()) {
            w.u8(1).u32(v.getAsInt());
        } else {
            w.u8(0);
        }
    }

    private static Sv2Writer write(Sv2Message message) {
        Sv2Writer w = new Sv2Writer(64);
        if (message instanceof SetupConnection m) {
            w.u8(m.protocol()).u16(m.minVersion()).u16(m.maxVersion()).u32(m.flags()).str0255(m.endpointHost())
                .u16(m.endpointPort()).str0255(m.vendor()).str0255(m.hardwareVersion()).str0255(m.firmware()).str0255(m.deviceId());
        } else if (message instanceof SetupConnectionSuccess m) {
            w.u16(m.usedVersion()).u32(m.flags());
        } else if (message instanceof SetupConnectionError m) {
            w.u32(m.flags()).str0255(m.errorCode());
        } else if (message instanceof ChannelEndpointChanged m) {
            w.u32(m.channelId());
        } else if (message instanceof Reconnect m) {
            w.str0255(m.newHost()).u16(m.newPort());
        } else if (message instanceof OpenStandardMiningChannel m) {
            w.u32(m.requestId()).str0255(m.userIdentity()).f32(m.nominalHashRate()).u256(m.maxTarget());
        } else if (message instanceof OpenStandardMiningChannelSuccess m) {
            w.u32(m.requestId()).u32(m.channelId()).u256(m.target())
                .bytes(m.extranoncePrefix(), 1).u32(m.groupChannelId());
        } else if (message instanceof OpenMiningChannelError m) {
            w.u32(m.requestId()).str0255(m.errorCode());
        } else if (message instanceof OpenExtendedMiningChannel m) {
            w.u32(m.requestId()).str0255(m.userIdentity()).f32(m.nominalHashRate())
                .u256(m.maxTarget()).u16(m.minExtranonceSize());
        } else if (message instanceof OpenExtendedMiningChannelSuccess m) {
            w.u32(m.requestId()).u32(m.channelId()).u256(m.target()).u16(m.extranonceSize())
                .bytes(m.extranoncePrefix(), 1).u32(m.groupChannelId());
        } else if (message instanceof NewMiningJob m) {
            w.u32(m.channelId()).u32(m.jobId());
            option(w, m.minNtime());
            w.u32(m.version()).u256(m.merkleRoot());
        } else if (message instanceof UpdateChannel m) {
            w.u32(m.channelId()).f32(m.nominalHashRate()).u256(m.maximumTarget());
        } else if (message instanceof UpdateChannelError m) {
            w.u32(m.channelId()).str0255(m.errorCode());
        } else if (message instanceof CloseChannel m) {
            w.u32(m.channelId()).str0255(m.reasonCode());
        } else if (message instanceof SetExtranoncePrefix m) {
            w.u32(m.channelId()).bytes(m.extranoncePrefix(), 1);
        } else if (message instanceof SubmitSharesStandard m) {
            w.u32(m.channelId()).u32(m.sequenceNumber()).u32(m.jobId()).u32(m.nonce()).u32(m.ntime())
                .u32(m.version());
        } else if (message instanceof SubmitSharesExtended m) {
            w.u32(m.channelId()).u32(m.sequenceNumber()).u32(m.jobId()).u32(m.nonce()).u32(m.ntime())
                .u32(m.version()).bytes(m.extranonce(), 1);
        } else if (message instanceof SubmitSharesSuccess m) {
            w.u32(m.channelId()).u32(m.lastSequenceNumber()).u32(m.newSubmitsAcceptedCount())
                .u64(m.newSharesSum());
        } else if (message instanceof SubmitSharesError m) {
            w.u32(m.channelId()).u32(m.sequenceNumber()).str0255(m.errorCode());
        } else if (message instanceof NewExtendedMiningJob m) {
            w.u32(m.channelId()).u32(m.jobId());
            option(w, m.minNtime());
            w.u32(m.version()).bool(m.versionRollingAllowed()).u8(m.merklePath().size());
            for (Sha256Hash h : m.merklePath()) {
                w.u256(h);
            }
            w.bytes(m.coinbaseTxPrefix(), 2).bytes(m.coinbaseTxSuffix(), 2);
        } else if (message instanceof SetNewPrevHash m) {
            w.u32(m.channelId()).u32(m.jobId()).u256(m.prevHash()).u32(m.minNtime()).u32(m.nbits());
        } else if (message instanceof SetTarget m) {
            w.u32(m.channelId()).u256(m.maximumTarget());
        } else if (message instanceof Unknown m) {
            return new Sv2Writer(0).raw(m.payload());
        }
        return w;
    }
}
