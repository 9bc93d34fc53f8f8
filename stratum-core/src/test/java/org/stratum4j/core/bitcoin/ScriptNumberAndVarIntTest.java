package org.stratum4j.core.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * CScriptNum, CScript number pushes and CompactSize, with expectations taken from Bitcoin Core's
 * serialization rules (src/script/script.h, src/serialize.h).
 */
class ScriptNumberAndVarIntTest {

    @Test
    void scriptNumbersAreMinimalLittleEndianWithASignBit() {
        assertThat(Hex.encode(ScriptNumber.encode(0))).isEmpty();
        assertThat(Hex.encode(ScriptNumber.encode(1))).isEqualTo("01");
        assertThat(Hex.encode(ScriptNumber.encode(-1))).isEqualTo("81");
        assertThat(Hex.encode(ScriptNumber.encode(127))).isEqualTo("7f");
        assertThat(Hex.encode(ScriptNumber.encode(128))).isEqualTo("8000");
        assertThat(Hex.encode(ScriptNumber.encode(-128))).isEqualTo("8080");
        assertThat(Hex.encode(ScriptNumber.encode(255))).isEqualTo("ff00");
        assertThat(Hex.encode(ScriptNumber.encode(256))).isEqualTo("0001");
        assertThat(Hex.encode(ScriptNumber.encode(32767))).isEqualTo("ff7f");
        assertThat(Hex.encode(ScriptNumber.encode(32768))).isEqualTo("008000");
        assertThat(Hex.encode(ScriptNumber.encode(-32768))).isEqualTo("008080");
        assertThat(Hex.encode(ScriptNumber.encode(Long.MAX_VALUE))).isEqualTo("ffffffffffffff7f");
        assertThatThrownBy(() -> ScriptNumber.encode(Long.MIN_VALUE)).hasMessageContaining("script numbers");
    }

    @Test
    void bip34PushIsWhatBitcoinCoreExpects() {
        // ContextualCheckBlock compares with CScript() << nHeight: small heights are opcodes.
        assertThat(Hex.encode(ScriptNumber.bip34HeightPush(0))).isEqualTo("00");
        assertThat(Hex.encode(ScriptNumber.bip34HeightPush(1))).isEqualTo("51");
        assertThat(Hex.encode(ScriptNumber.bip34HeightPush(16))).isEqualTo("60");
        assertThat(Hex.encode(ScriptNumber.bip34HeightPush(17))).isEqualTo("0111");
        assertThat(Hex.encode(ScriptNumber.bip34HeightPush(127))).isEqualTo("017f");
        assertThat(Hex.encode(ScriptNumber.bip34HeightPush(128))).isEqualTo("028000");
        assertThat(Hex.encode(ScriptNumber.bip34HeightPush(227931))).isEqualTo("035b7a03"); // BIP34 activation
        assertThat(Hex.encode(ScriptNumber.bip34HeightPush(8388608))).isEqualTo("0400008000");
        assertThatThrownBy(() -> ScriptNumber.bip34HeightPush(-1)).hasMessageContaining("0 to 2147483647");
    }

    @Test
    void pushesUseTheShortestOpcode() {
        assertThat(Hex.encode(ScriptNumber.push(new byte[75])).substring(0, 2)).isEqualTo("4b");
        assertThat(Hex.encode(ScriptNumber.push(new byte[76])).substring(0, 4)).isEqualTo("4c4c");
        assertThat(Hex.encode(ScriptNumber.push(new byte[256])).substring(0, 6)).isEqualTo("4d0001");
        assertThat(ScriptNumber.pushNumber(-1)).containsExactly(0x4f);
    }

    @Test
    void varIntBoundaries() {
        assertThat(Hex.encode(VarInt.encode(0))).isEqualTo("00");
        assertThat(Hex.encode(VarInt.encode(0xfc))).isEqualTo("fc");
        assertThat(Hex.encode(VarInt.encode(0xfd))).isEqualTo("fdfd00");
        assertThat(Hex.encode(VarInt.encode(0xffff))).isEqualTo("fdffff");
        assertThat(Hex.encode(VarInt.encode(0x10000))).isEqualTo("fe00000100");
        assertThat(Hex.encode(VarInt.encode(0xffffffffL))).isEqualTo("feffffffff");
        assertThat(Hex.encode(VarInt.encode(0x100000000L))).isEqualTo("ff0000000001000000");
        assertThat(Hex.encode(VarInt.encode(-1L))).isEqualTo("ffffffffffffffffff");
        for (long v : new long[] {0, 1, 0xfc, 0xfd, 0xfe, 0xffff, 0x10000, 0xffffffffL, 0x100000000L, -1L}) {
            byte[] enc = VarInt.encode(v);
            assertThat(VarInt.read(enc, 0)).isEqualTo(v);
            assertThat(VarInt.size(v)).isEqualTo(enc.length);
        }
    }

    @Test
    void varIntRejectsNonCanonicalAndTruncatedEncodings() {
        assertThatThrownBy(() -> VarInt.read(Hex.decode("fd0100"), 0)).hasMessageContaining("non-canonical");
        assertThatThrownBy(() -> VarInt.read(Hex.decode("fe00ff0000"), 0)).hasMessageContaining("non-canonical");
        assertThatThrownBy(() -> VarInt.read(Hex.decode("fdff"), 0)).hasMessageContaining("buffer ends first");
        assertThatThrownBy(() -> VarInt.read(new byte[0], 0)).hasMessageContaining("no varint");
    }
}
