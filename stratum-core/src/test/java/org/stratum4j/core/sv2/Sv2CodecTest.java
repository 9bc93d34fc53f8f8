package org.stratum4j.core.sv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.sv2.Sv2Message.*;

/** The binary codec against the spec's field tables, round trips of every message, and hostile payloads. */
class Sv2CodecTest {

    private static final Target TARGET = Target.fromHex("00000000ffff0000000000000000000000000000000000000000000000000001");
    private static final Sha256Hash HASH = Sha256Hash.fromInternalHex("0102030405060708091011121314151617181920212223242526272829303132");

    @Test
    void setupConnectionIsLaidOutAsTheSpecsTableSays() {
        SetupConnection m = new SetupConnection(0, 2, 2, 0b101, "pool.example", 3336, "Bitaxe", "Gamma 601", "ESP-Miner v2.9", "");
        // 3.6.1: protocol U8, min_version U16, max_version U16, flags U32, endpoint_host STR0_255,
        // endpoint_port U16, vendor, hardware_version, firmware, device_id (STR0_255 each); little-endian.
        String expected = "00" + "0200" + "0200" + "05000000"
                + "0c" + Hex.encode("pool.example".getBytes()) + "080d"
                + "06" + Hex.encode("Bitaxe".getBytes())
                + "09" + Hex.encode("Gamma 601".getBytes())
                + "0e" + Hex.encode("ESP-Miner v2.9".getBytes())
                + "00";
        assertThat(Hex.encode(Sv2Codec.encodePayload(m))).isEqualTo(expected);
        byte[] frame = Sv2Codec.encodeFrame(m);
        int length = expected.length() / 2;
        assertThat(Hex.encode(Arrays.copyOf(frame, 6))).isEqualTo("000000" + String.format("%02x%02x00", length & 0xFF, length >> 8));
    }

    @Test
    void channelMessagesCarryTheChannelBitAndOthersDoNot() {
        SubmitSharesStandard submit = new SubmitSharesStandard(7, 1, 2, 3, 4, 5);
        byte[] frame = Sv2Codec.encodeFrame(submit);
        assertThat(Hex.encode(Arrays.copyOf(frame, 6))).isEqualTo("00801a180000");
        // 5.3.11: channel_id, sequence_number, job_id, nonce, ntime, version, all U32.
        assertThat(Hex.encode(Arrays.copyOfRange(frame, 6, frame.length)))
                .isEqualTo("07000000" + "01000000" + "02000000" + "03000000" + "04000000" + "05000000");
        assertThat(Sv2Codec.extensionType(new OpenStandardMiningChannel(1, "u", 1e12f, Target.MAX))).isZero();
        assertThat(Sv2Codec.extensionType(new SetTarget(1, TARGET))).isEqualTo(0x8000);
    }

    @Test
    void targetsAndHashesAreLittleEndianU256() {
        byte[] p = Sv2Codec.encodePayload(new SetTarget(1, TARGET));
        // The least significant byte (01) first, the ffff of difficulty 1 near the end.
        assertThat(Hex.encode(Arrays.copyOfRange(p, 4, 36)))
                .isEqualTo("0100000000000000000000000000000000000000000000000000ffff00000000");
        byte[] q = Sv2Codec.encodePayload(new SetNewPrevHash(1, 2, HASH, 3, 0x1d00ffff));
        assertThat(Hex.encode(Arrays.copyOfRange(q, 8, 40))).isEqualTo(HASH.toInternalHex());
        assertThat(Hex.encode(Arrays.copyOfRange(q, 44, 48))).isEqualTo("ffff001d");
    }

    @Test
    void everyMessageRoundTrips() throws Sv2DecodeException {
        List<Sv2Message> all = List.of(
                new SetupConnection(0, 2, 2, 4, "h", 1, "v", "hw", "fw", "id"),
                new SetupConnectionSuccess(2, 1),
                new SetupConnectionError(2, "unsupported-feature-flags"),
                new ChannelEndpointChanged(-1),
                new Reconnect("", 0),
                new OpenStandardMiningChannel(9, "bc1q.worker", 1.5e12f, TARGET),
                new OpenStandardMiningChannelSuccess(9, 1, TARGET, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0),
                new OpenMiningChannelError(9, "unknown-user"),
                new OpenExtendedMiningChannel(10, "bc1q.proxy", 0f, Target.MAX, 8),
                new OpenExtendedMiningChannelSuccess(10, 2, TARGET, 8, new byte[] {9, 9, 9, 9}, 0),
                new NewMiningJob(1, 5, OptionalInt.empty(), 0x20000000, HASH),
                new NewMiningJob(1, 6, OptionalInt.of(1_700_000_000), 0x20000000, HASH),
                new UpdateChannel(1, 2e13f, TARGET),
                new UpdateChannelError(1, "max-target-out-of-range"),
                new CloseChannel(1, "bye"),
                new SetExtranoncePrefix(2, new byte[32]),
                new SubmitSharesStandard(1, 2, 3, 4, 5, 6),
                new SubmitSharesExtended(2, 3, 4, 5, 6, 7, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                new SubmitSharesSuccess(1, 77, 3, 3 * 1024L),
                new SubmitSharesError(1, 78, "stale-share"),
                new NewExtendedMiningJob(2, 7, OptionalInt.empty(), 0x20000000, true, List.of(HASH, Sha256Hash.ZERO),
                        new byte[] {1, 0, 0, 0}, new byte[] {(byte) 0xff, 0, 0, 0, 0}),
                new SetNewPrevHash(2, 7, HASH, 1_700_000_001, 0x1d00ffff),
                new SetTarget(2, TARGET),
                new Unknown(0x0001, 0x00, new byte[] {1, 2}),
                new Unknown(0x8000, 0x22, new byte[] {3}));
        for (Sv2Message m : all) {
            byte[] frame = Sv2Codec.encodeFrame(m);
            int ext = Sv2Codec.headerExtensionType(frame, 0);
            int type = Sv2Codec.headerMessageType(frame, 0);
            int length = Sv2Codec.headerPayloadLength(frame, 0);
            assertThat(length).as(m.toString()).isEqualTo(frame.length - 6);
            assertThat(Sv2Codec.decode(ext, type, frame, 6, length)).as(m.toString()).isEqualTo(m);
        }
    }

    @Test
    void truncatedPayloadsAreDecodeErrorsNeverExceptions() {
        List<Sv2Message> samples = List.of(
                new SetupConnection(0, 2, 2, 4, "host", 1, "v", "hw", "fw", "id"),
                new OpenStandardMiningChannel(9, "bc1q.worker", 1.5e12f, TARGET),
                new NewExtendedMiningJob(2, 7, OptionalInt.of(5), 0x20000000, true, List.of(HASH), new byte[40], new byte[60]),
                new SubmitSharesExtended(2, 3, 4, 5, 6, 7, new byte[8]));
        for (Sv2Message m : samples) {
            byte[] p = Sv2Codec.encodePayload(m);
            for (int cut = 0; cut < p.length; cut++) {
                int n = cut;
                assertThatThrownBy(() -> Sv2Codec.decode(Sv2Codec.extensionType(m), m.messageType(), p, 0, n))
                        .as("%s cut at %d", m.getClass().getSimpleName(), cut).isInstanceOf(Sv2DecodeException.class);
            }
        }
    }

    @Test
    void lengthPrefixesBeyondTheirTypesLimitAreRefused() {
        // B0_32 extranonce claiming 33 bytes; OPTION with 2 values; a merkle path longer than the payload.
        byte[] extranonce = Hex.decode("02000000" + "03000000" + "04000000" + "05000000" + "06000000" + "07000000" + "21"
                + "00".repeat(33));
        assertThatThrownBy(() -> Sv2Codec.decode(0x8000, 0x1b, extranonce, 0, extranonce.length))
                .isInstanceOf(Sv2DecodeException.class).hasMessageContaining("at most 32");
        byte[] option = Hex.decode("01000000" + "02000000" + "02" + "00000000" + "00000000");
        assertThatThrownBy(() -> Sv2Codec.decode(0x8000, 0x15, option, 0, option.length))
                .isInstanceOf(Sv2DecodeException.class).hasMessageContaining("OPTION");
        byte[] path = Hex.decode("01000000" + "02000000" + "00" + "00000020" + "01" + "ff" + "00".repeat(64));
        assertThatThrownBy(() -> Sv2Codec.decode(0x8000, 0x1f, path, 0, path.length))
                .isInstanceOf(Sv2DecodeException.class).hasMessageContaining("255 hashes");
    }

    @Test
    void malformedUtf8NamesAreReadAsReplacementCharactersOrRefusedClearly() throws Sv2DecodeException {
        byte[] shortName = Hex.decode("01000000" + "02" + "ffc3" + "00000000" + "00".repeat(32));
        OpenStandardMiningChannel m = (OpenStandardMiningChannel) Sv2Codec.decode(0, 0x10, shortName, 0, shortName.length);
        assertThat(m.userIdentity()).isEqualTo("\uFFFD\uFFFD");
        // 255 bytes that are not UTF-8 would be 765 bytes as text: refused, not thrown.
        byte[] longName = Hex.decode("01000000" + "ff" + "ff".repeat(255) + "00000000" + "00".repeat(32));
        assertThatThrownBy(() -> Sv2Codec.decode(0, 0x10, longName, 0, longName.length)).isInstanceOf(Sv2DecodeException.class);
    }

    @Test
    void randomPayloadsNeverThrowUnchecked() {
        Random random = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            byte[] p = new byte[random.nextInt(120)];
            random.nextBytes(p);
            int type = random.nextInt(0x30);
            try {
                Sv2Codec.decode(random.nextBoolean() ? 0x8000 : 0, type, p, 0, p.length);
            } catch (Sv2DecodeException expected) {
                // fine: a clear refusal
            }
        }
    }

    @Test
    void fieldLimitsAreCheckedWhenBuilding() {
        assertThatThrownBy(() -> new SetupConnectionError(0, "x".repeat(256))).hasMessageContaining("255 bytes");
        assertThatThrownBy(() -> new SetExtranoncePrefix(1, new byte[33])).hasMessageContaining("at most 32");
        assertThatThrownBy(() -> new SetupConnectionSuccess(65_536, 0)).hasMessageContaining("U16");
        assertThat(Target.fromLittleEndian(littleEndian(TARGET), 0)).isEqualTo(TARGET);
    }

    private static byte[] littleEndian(Target t) {
        byte[] out = new byte[32];
        t.writeLittleEndian(out, 0);
        byte[] be = t.toBigInteger().toByteArray();
        BigInteger back = new BigInteger(1, reverse(out));
        assertThat(back).isEqualTo(t.toBigInteger());
        assertThat(be).isNotEmpty();
        return out;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
