package org.stratum4j.core.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * The miner side of Stratum V1 (CPU miner, load generator, proxy): decodes pool lines into
 * {@link PoolMessage}s and encodes {@link MinerMessage}s into lines.
 *
 * <p>A response's result is decoded as a {@link JsonValue}; the client knows which request it
 * answers (by its own bookkeeping, not by id alone) and reads it accordingly.
 *
 * <p>{@link #decode} never throws. Not thread-safe: one codec per connection loop.
 */
public final class ClientCodec extends LineCodec<PoolMessage> {


    /** A codec accepting lines up to 16 KiB. */
    public ClientCodec() {
        this(ProtocolLimits.DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * A codec accepting lines up to {@code maxLineBytes} (at least 64).
     *
     * @throws IllegalArgumentException if the limit is below 64 bytes
     */
    public ClientCodec(int maxLineBytes) {
        super(maxLineBytes);
    }

    /** Decodes one line (without its {@code \n}; a trailing {@code \r} is ignored). Never throws. */
    public PoolMessage decode(byte[] line, int offset, int length) {
        return decodeLine(line, offset, length);
    }

    /** Decodes one line of text. Never throws. */
    public PoolMessage decode(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return decode(b, 0, b.length);
    }

    @Override
    PoolMessage error(DecodeError e) {
        return e;
    }

    @Override
    PoolMessage response(Response r) {
        return r;
    }

    @Override
    PoolMessage call(TokenBuffer t, RequestId id, int m, int params) {
        if (t.textEquals(m, Methods.NOTIFY)) {
            return notify(t, id, params);
        }
        if (t.textEquals(m, Methods.SET_DIFFICULTY)) {
            int p = Wire.param(t, params, 0);
            Difficulty d = p >= 0 ? PoolCodec.difficulty(t, p) : null;
            return d != null ? new SetDifficulty(d) : invalid(id, Methods.SET_DIFFICULTY, "params[0] must be a positive number");
        }
        if (t.textEquals(m, Methods.SET_VERSION_MASK)) {
            int p = Wire.param(t, params, 0);
            long mask = p >= 0 ? t.hexU32(p) : -1;
            return mask >= 0 ? new SetVersionMask((int) mask) : invalid(id, Methods.SET_VERSION_MASK, "params[0] must be 1 to 8 hex digits");
        }
        if (t.textEquals(m, Methods.SET_EXTRANONCE)) {
            int p0 = Wire.param(t, params, 0);
            int p1 = Wire.param(t, params, 1);
            byte[] en1 = p0 >= 0 ? t.hexBytes(p0, ProtocolLimits.MAX_HEX_BYTES) : null;
            int size = p1 >= 0 ? t.smallInt(p1) : -1;
            if (en1 == null || size < 0) {
                return invalid(id, Methods.SET_EXTRANONCE, "params must be [extranonce1 hex, extranonce2 size]");
            }
            return new SetExtranonce(en1, size);
        }
        if (t.textEquals(m, Methods.RECONNECT)) {
            return reconnect(t, id, params);
        }
        if (t.textEquals(m, Methods.SHOW_MESSAGE)) {
            int p = Wire.param(t, params, 0);
            return p >= 0 && t.isString(p) ? new ShowMessage(t.text(p)) : invalid(id, Methods.SHOW_MESSAGE, "params[0] must be a string");
        }
        if (t.textEquals(m, Methods.GET_VERSION)) {
            return new GetVersion(id);
        }
        return new UnknownMethod(id, t.text(m));
    }

    private static PoolMessage notify(TokenBuffer t, RequestId id, int params) {
        if (Wire.paramCount(t, params) < 9) {
            return invalid(id, Methods.NOTIFY, "takes 9 params, got " + Wire.paramCount(t, params));
        }
        int job = t.element(params, 0);
        int prev = t.element(params, 1);
        byte[] coinb1 = t.hexBytes(t.element(params, 2), ProtocolLimits.MAX_HEX_BYTES);
        byte[] coinb2 = t.hexBytes(t.element(params, 3), ProtocolLimits.MAX_HEX_BYTES);
        int branch = t.element(params, 4);
        long version = t.hexU32(t.element(params, 5));
        long nbits = t.hexU32(t.element(params, 6));
        long ntime = t.hexU32(t.element(params, 7));
        int clean = t.element(params, 8);
        byte[] prevBytes = t.hexBytes(prev, 32);
        if (!t.isString(job) || prevBytes == null || prevBytes.length != 32 || coinb1 == null || coinb2 == null
                || !t.isArray(branch) || version < 0 || nbits < 0 || ntime < 0
                || (t.kind(clean) != TokenBuffer.TRUE && t.kind(clean) != TokenBuffer.FALSE)) {
            return invalid(id, Methods.NOTIFY, "params must be [job_id, prevhash, coinb1, coinb2, [branch], version, nbits, ntime, clean_jobs]");
        }
        List<Sha256Hash> steps = new ArrayList<>();
        int end = t.next(branch) - 1;
        for (int c = branch + 1; c < end; c = t.next(c)) {
            byte[] step = t.hexBytes(c, 32);
            if (step == null || step.length != 32) {
                return invalid(id, Methods.NOTIFY, "merkle branch entries must be 64 hex digits");
            }
            steps.add(Sha256Hash.fromInternalBytes(step));
        }
        return new Notify(t.text(job), Sha256Hash.fromInternalBytes(StratumPrevHash.wordSwapped(prevBytes)), coinb1, coinb2,
                MerkleBranch.of(steps), (int) version, CompactBits.of((int) nbits), (int) ntime, t.kind(clean) == TokenBuffer.TRUE);
    }

    private static PoolMessage reconnect(TokenBuffer t, RequestId id, int params) {
        int h = Wire.param(t, params, 0);
        int p = Wire.param(t, params, 1);
        int w = Wire.param(t, params, 2);
        String host = h >= 0 && t.isString(h) ? t.text(h) : null;
        Integer port = null;
        if (p >= 0 && t.kind(p) != TokenBuffer.NULL) {
            int v = t.isString(p) ? parsePort(t.text(p)) : t.smallInt(p);
            if (v < 1 || v > 65535) {
                return invalid(id, Methods.RECONNECT, "port must be 1 to 65535");
            }
            port = v;
        }
        Integer wait = null;
        if (w >= 0 && t.kind(w) != TokenBuffer.NULL) {
            int v = t.smallInt(w);
            if (v < 0) {
                return invalid(id, Methods.RECONNECT, "wait must be a non-negative integer");
            }
            wait = v;
        }
        return new Reconnect(host, port, wait);
    }

    private static int parsePort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Appends {@code message} as one line (with its {@code \n}) to {@code out}.
     *
     * @throws IllegalArgumentException for a {@link DecodeError} or a malformed {@link Submit}
     */
    public void encode(MinerMessage message, JsonLineWriter out) {
        if (message instanceof Submit) {
            writeSubmit((Submit) message, out);
        } else if (message instanceof Subscribe) {
            Subscribe s = (Subscribe) message;
            Wire.beginCall(out, s.id(), Methods.SUBSCRIBE);
            if (s.userAgent() != null || s.sessionId() != null) {
                stringOrNull(out, s.userAgent());
                if (s.sessionId() != null) {
                    out.raw((byte) ',');
                    out.string(s.sessionId());
                }
            }
            Wire.endParams(out);
        } else if (message instanceof Authorize) {
            Authorize a = (Authorize) message;
            Wire.beginCall(out, a.id(), Methods.AUTHORIZE);
            out.string(a.worker());
            if (a.password() != null) {
                out.raw((byte) ',');
                out.string(a.password());
            }
            Wire.endParams(out);
        } else if (message instanceof Configure) {
            writeConfigure((Configure) message, out);
        } else if (message instanceof SuggestDifficulty) {
            Wire.beginCall(out, message.id(), Methods.SUGGEST_DIFFICULTY);
            out.ascii(((SuggestDifficulty) message).difficulty().toString());
            Wire.endParams(out);
        } else if (message instanceof ExtranonceSubscribe) {
            Wire.beginCall(out, message.id(), Methods.EXTRANONCE_SUBSCRIBE);
            Wire.endParams(out);
        } else if (message instanceof GetTransactions) {
            Wire.beginCall(out, message.id(), Methods.GET_TRANSACTIONS);
            if (((GetTransactions) message).jobId() != null) {
                out.string(((GetTransactions) message).jobId());
            }
            Wire.endParams(out);
        } else if (message instanceof MultiVersion) {
            Wire.beginCall(out, message.id(), Methods.MULTI_VERSION);
            out.number(((MultiVersion) message).version());
            Wire.endParams(out);
        } else if (message instanceof UnknownMethod) {
            Wire.beginCall(out, message.id(), ((UnknownMethod) message).method());
            Wire.endParams(out);
        } else if (message instanceof Response) {
            Wire.writeResponse(out, (Response) message);
        } else {
            throw new IllegalArgumentException("a decode error is not a message to send");
        }
    }

    /** {@code message} as one line of bytes (with its {@code \n}). */
    public byte[] encode(MinerMessage message) {
        scratch.reset();
        encode(message, scratch);
        return scratch.toByteArray();
    }

    private static void writeSubmit(Submit s, JsonLineWriter out) {
        if (!s.isWellFormed()) {
            throw new IllegalArgumentException("cannot send a malformed submit: " + s.paramsError());
        }
        Wire.beginCall(out, s.id(), Methods.SUBMIT);
        out.string(s.worker());
        out.raw((byte) ',');
        out.string(s.jobId());
        out.raw((byte) ',');
        out.hexString(s.extranonce2());
        out.raw((byte) ',');
        out.u32HexString(s.ntime());
        out.raw((byte) ',');
        out.u32HexString(s.nonce());
        if (s.hasVersionBits()) {
            out.raw((byte) ',');
            out.u32HexString(s.versionBits());
        }
        Wire.endParams(out);
    }

    private static void writeConfigure(Configure c, JsonLineWriter out) {
        Wire.beginCall(out, c.id(), Methods.CONFIGURE);
        out.raw((byte) '[');
        for (int i = 0; i < c.extensions().size(); i++) {
            if (i > 0) {
                out.raw((byte) ',');
            }
            out.string(c.extensions().get(i));
        }
        out.ascii("],{");
        boolean first = true;
        if (c.versionRollingMask() != null) {
            out.ascii("\"version-rolling.mask\":");
            out.u32HexString(c.versionRollingMask());
            first = false;
        }
        if (c.versionRollingMinBitCount() != null) {
            out.ascii(first ? "" : ",");
            out.ascii("\"version-rolling.min-bit-count\":");
            out.number(c.versionRollingMinBitCount());
            first = false;
        }
        if (c.minimumDifficulty() != null) {
            out.ascii(first ? "" : ",");
            out.ascii("\"minimum-difficulty.value\":");
            out.ascii(c.minimumDifficulty().toString());
        }
        out.raw((byte) '}');
        Wire.endParams(out);
    }

    private static void stringOrNull(JsonLineWriter out, String s) {
        if (s == null) {
            out.ascii("null");
        } else {
            out.string(s);
        }
    }
}
