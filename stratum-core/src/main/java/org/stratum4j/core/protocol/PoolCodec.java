package org.stratum4j.core.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * The pool side of Stratum V1: decodes miners' lines into {@link MinerMessage}s and encodes
 * {@link PoolMessage}s into lines.
 *
 * <p>{@link #decode} never throws: every malformed line becomes a {@link DecodeError}. Decoding a
 * {@code mining.submit} allocates only the message, its extranonce2 and the worker/job strings
 * (reused while they repeat); the JSON parser and its buffers are reused from line to line.
 *
 * <p>Not thread-safe: one codec per event loop.
 */
public final class PoolCodec extends LineCodec<MinerMessage> {

    /** The last worker and job id strings seen, reused while the next submit repeats them. */
    private String lastWorker = "";
    private String lastJobId = "";
    private final int[] submitParams = new int[6];
    private final byte[] hashScratch = new byte[Sha256Hash.LENGTH];

    /** A codec accepting lines up to 16 KiB. */
    public PoolCodec() {
        this(ProtocolLimits.DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * A codec accepting lines up to {@code maxLineBytes} (at least 64).
     *
     * @throws IllegalArgumentException if the limit is below 64 bytes
     */
    public PoolCodec(int maxLineBytes) {
        super(maxLineBytes);
    }

    /** Decodes one line (without its {@code \n}; a trailing {@code \r} is ignored). Never throws. */
    public MinerMessage decode(byte[] line, int offset, int length) {
        return decodeLine(line, offset, length);
    }

    /** Decodes one line of text. Never throws. */
    public MinerMessage decode(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return decode(b, 0, b.length);
    }

    @Override
    MinerMessage error(DecodeError e) {
        return e;
    }

    @Override
    MinerMessage response(Response r) {
        return r;
    }

    @Override
    MinerMessage paramsNotArray(TokenBuffer t, RequestId id, int method) {
        // Even a malformed submit is a Submit, so the engine can answer 25/24 before 20.
        return t.textEquals(method, Methods.SUBMIT) ? Submit.malformed(id, null, "params must be an array")
                : super.paramsNotArray(t, id, method);
    }

    @Override
    MinerMessage call(TokenBuffer t, RequestId id, int m, int params) {
        if (t.textEquals(m, Methods.SUBMIT)) {
            return submit(t, id, params);
        }
        if (t.textEquals(m, Methods.SUBSCRIBE)) {
            return subscribe(t, id, params);
        }
        if (t.textEquals(m, Methods.AUTHORIZE)) {
            return authorize(t, id, params);
        }
        if (t.textEquals(m, Methods.CONFIGURE)) {
            return configure(t, id, params);
        }
        if (t.textEquals(m, Methods.SUGGEST_DIFFICULTY)) {
            return suggestDifficulty(t, id, params);
        }
        if (t.textEquals(m, Methods.EXTRANONCE_SUBSCRIBE)) {
            return new ExtranonceSubscribe(id);
        }
        if (t.textEquals(m, Methods.GET_TRANSACTIONS)) {
            int p = Wire.param(t, params, 0);
            return new GetTransactions(id, p >= 0 && t.isString(p) ? t.text(p) : null);
        }
        if (t.textEquals(m, Methods.MULTI_VERSION)) {
            int p = Wire.param(t, params, 0);
            int v = p >= 0 ? t.smallInt(p) : -1;
            return v >= 0 ? new MultiVersion(id, v) : invalid(id, Methods.MULTI_VERSION, "params[0] must be a non-negative integer");
        }
        return new UnknownMethod(id, t.text(m));
    }

    private Submit submit(TokenBuffer t, RequestId id, int params) {
        // One walk over the params array; a submit has at most 6.
        int[] p = submitParams;
        int n = 0;
        if (params >= 0) {
            int end = t.next(params) - 1;
            for (int c = params + 1; c < end; c = t.next(c)) {
                if (n < p.length) {
                    p[n] = c;
                }
                n++;
            }
        }
        String worker = n >= 1 && t.isString(p[0]) ? reuse(t, p[0], true) : null;
        if (worker == null) {
            return Submit.malformed(id, null, "params[0] (worker) must be a string");
        }
        if (n < 5 || n > 6) {
            return Submit.malformed(id, worker, "mining.submit takes 5 or 6 params, got " + n);
        }
        if (!t.isString(p[1])) {
            return Submit.malformed(id, worker, "params[1] (job id) must be a string");
        }
        byte[] en2 = t.hexBytes(p[2], ProtocolLimits.MAX_HEX_BYTES);
        if (en2 == null) {
            return Submit.malformed(id, worker, "params[2] (extranonce2) must be hex with an even number of digits");
        }
        long ntime = t.hexU32(p[3]);
        if (ntime < 0) {
            return Submit.malformed(id, worker, "params[3] (ntime) must be 1 to 8 hex digits");
        }
        long nonce = t.hexU32(p[4]);
        if (nonce < 0) {
            return Submit.malformed(id, worker, "params[4] (nonce) must be 1 to 8 hex digits");
        }
        boolean hasVersion = n == 6;
        long version = 0;
        if (hasVersion) {
            version = t.hexU32(p[5]);
            if (version < 0) {
                return Submit.malformed(id, worker, "params[5] (version bits) must be 1 to 8 hex digits");
            }
        }
        return Submit.decoded(id, worker, reuse(t, p[1], false), en2, (int) ntime, (int) nonce, hasVersion, (int) version);
    }

    private String reuse(TokenBuffer t, int token, boolean worker) {
        String last = worker ? lastWorker : lastJobId;
        if (t.textEquals(token, last)) {
            return last;
        }
        String s = t.text(token);
        if (worker) {
            lastWorker = s;
        } else {
            lastJobId = s;
        }
        return s;
    }

    private static MinerMessage subscribe(TokenBuffer t, RequestId id, int params) {
        int ua = Wire.param(t, params, 0);
        int sid = Wire.param(t, params, 1);
        if (ua >= 0 && !t.isString(ua) && t.kind(ua) != TokenBuffer.NULL) {
            return invalid(id, Methods.SUBSCRIBE, "params[0] (user agent) must be a string");
        }
        String sessionId = null;
        if (sid >= 0 && t.kind(sid) != TokenBuffer.NULL) {
            if (!t.isString(sid) && !t.isNumber(sid)) {
                return invalid(id, Methods.SUBSCRIBE, "params[1] (session id) must be a string");
            }
            sessionId = t.text(sid);
        }
        return new Subscribe(id, ua >= 0 ? t.stringOrNull(ua) : null, sessionId);
    }

    private static MinerMessage authorize(TokenBuffer t, RequestId id, int params) {
        int user = Wire.param(t, params, 0);
        if (user < 0 || !t.isString(user)) {
            return invalid(id, Methods.AUTHORIZE, "params[0] (worker name) must be a string");
        }
        int pass = Wire.param(t, params, 1);
        String password = null;
        if (pass >= 0 && t.kind(pass) != TokenBuffer.NULL) {
            if (!t.isString(pass) && !t.isNumber(pass)) {
                return invalid(id, Methods.AUTHORIZE, "params[1] (password) must be a string");
            }
            password = t.text(pass);
        }
        return new Authorize(id, t.text(user), password);
    }

    private static MinerMessage configure(TokenBuffer t, RequestId id, int params) {
        int exts = Wire.param(t, params, 0);
        if (exts < 0 || !t.isArray(exts)) {
            return invalid(id, Methods.CONFIGURE, "params[0] must be the array of extension names");
        }
        List<String> names = new ArrayList<>();
        int end = t.next(exts) - 1;
        for (int c = exts + 1; c < end; c = t.next(c)) {
            if (!t.isString(c)) {
                return invalid(id, Methods.CONFIGURE, "extension names must be strings");
            }
            names.add(t.text(c));
        }
        Integer mask = null;
        Integer minBits = null;
        Difficulty minDiff = null;
        int obj = Wire.param(t, params, 1);
        if (obj >= 0 && t.kind(obj) != TokenBuffer.NULL) {
            if (!t.isObject(obj)) {
                return invalid(id, Methods.CONFIGURE, "params[1] must be an object of extension parameters");
            }
            int oend = t.next(obj) - 1;
            for (int c = obj + 1; c < oend; c = t.next(t.next(c))) {
                int v = c + 1;
                if (t.textEquals(c, "version-rolling.mask")) {
                    long m = t.hexU32(v);
                    if (m < 0) {
                        return invalid(id, Methods.CONFIGURE, "version-rolling.mask must be 1 to 8 hex digits");
                    }
                    mask = (int) m;
                } else if (t.textEquals(c, "version-rolling.min-bit-count")) {
                    int b = t.smallInt(v);
                    if (b < 0 || b > 32) {
                        return invalid(id, Methods.CONFIGURE, "version-rolling.min-bit-count must be an integer 0 to 32");
                    }
                    minBits = b;
                } else if (t.textEquals(c, "minimum-difficulty.value")) {
                    minDiff = difficulty(t, v);
                    if (minDiff == null) {
                        return invalid(id, Methods.CONFIGURE, "minimum-difficulty.value must be a positive number");
                    }
                }
            }
        }
        return new Configure(id, names, mask, minBits, minDiff);
    }

    private static MinerMessage suggestDifficulty(TokenBuffer t, RequestId id, int params) {
        int p = Wire.param(t, params, 0);
        Difficulty d = p >= 0 ? difficulty(t, p) : null;
        return d != null ? new SuggestDifficulty(id, d)
                : invalid(id, Methods.SUGGEST_DIFFICULTY, "params[0] must be a positive number");
    }

    /** A number or numeric string as a difficulty, or null. */
    static Difficulty difficulty(TokenBuffer t, int i) {
        if (!t.isNumber(i) && !t.isString(i)) {
            return null;
        }
        try {
            return Difficulty.of(t.text(i));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Appends {@code message} as one line (with its {@code \n}) to {@code out}.
     *
     * @throws IllegalArgumentException for a {@link DecodeError}, which is not a message to send
     */
    public void encode(PoolMessage message, JsonLineWriter out) {
        if (message instanceof Response) {
            Wire.writeResponse(out, (Response) message);
        } else if (message instanceof Notify) {
            writeNotify((Notify) message, out);
        } else if (message instanceof SetDifficulty) {
            Wire.beginCall(out, RequestId.NULL, Methods.SET_DIFFICULTY);
            out.ascii(((SetDifficulty) message).difficulty().toString());
            Wire.endParams(out);
        } else if (message instanceof SetVersionMask) {
            Wire.beginCall(out, RequestId.NULL, Methods.SET_VERSION_MASK);
            out.u32HexString(((SetVersionMask) message).mask());
            Wire.endParams(out);
        } else if (message instanceof SetExtranonce) {
            SetExtranonce s = (SetExtranonce) message;
            Wire.beginCall(out, RequestId.NULL, Methods.SET_EXTRANONCE);
            out.hexString(s.extranonce1());
            out.raw((byte) ',');
            out.number(s.extranonce2Size());
            Wire.endParams(out);
        } else if (message instanceof Reconnect) {
            writeReconnect((Reconnect) message, out);
        } else if (message instanceof ShowMessage) {
            Wire.beginCall(out, RequestId.NULL, Methods.SHOW_MESSAGE);
            out.string(((ShowMessage) message).text());
            Wire.endParams(out);
        } else if (message instanceof GetVersion) {
            Wire.beginCall(out, message.id(), Methods.GET_VERSION);
            Wire.endParams(out);
        } else if (message instanceof UnknownMethod) {
            Wire.beginCall(out, message.id(), ((UnknownMethod) message).method());
            Wire.endParams(out);
        } else {
            throw new IllegalArgumentException("a decode error is not sent as such; answer it with Response.error(...)");
        }
    }

    /** {@code message} as one line of bytes (with its {@code \n}), e.g. a notify encoded once per job. */
    public byte[] encode(PoolMessage message) {
        scratch.reset();
        encode(message, scratch);
        return scratch.toByteArray();
    }

    private void writeNotify(Notify n, JsonLineWriter out) {
        byte[] hash = hashScratch;
        Wire.beginCall(out, RequestId.NULL, Methods.NOTIFY);
        out.string(n.jobId());
        out.raw((byte) ',');
        n.prevHash().copyInternalBytesTo(hash, 0);
        StratumPrevHash.swapWordsInPlace(hash);
        out.hexString(hash, 0, Sha256Hash.LENGTH);
        out.raw((byte) ',');
        out.hexString(n.coinb1Unsafe());
        out.raw((byte) ',');
        out.hexString(n.coinb2Unsafe());
        out.raw((byte) ',');
        out.raw((byte) '[');
        boolean first = true;
        for (Sha256Hash step : n.merkleBranch().steps()) {
            if (!first) {
                out.raw((byte) ',');
            }
            first = false;
            step.copyInternalBytesTo(hash, 0);
            out.hexString(hash, 0, Sha256Hash.LENGTH);
        }
        out.raw((byte) ']');
        out.raw((byte) ',');
        out.u32HexString(n.version());
        out.raw((byte) ',');
        out.u32HexString(n.nbits().value());
        out.raw((byte) ',');
        out.u32HexString(n.ntime());
        out.raw((byte) ',');
        out.bool(n.cleanJobs());
        Wire.endParams(out);
    }

    private static void writeReconnect(Reconnect r, JsonLineWriter out) {
        Wire.beginCall(out, RequestId.NULL, Methods.RECONNECT);
        // Positional params: a later one needs the earlier ones present.
        int count = r.waitSeconds() != null ? 3 : r.port() != null ? 2 : r.host() != null ? 1 : 0;
        if (count >= 1) {
            if (r.host() == null) {
                out.ascii("null");
            } else {
                out.string(r.host());
            }
        }
        if (count >= 2) {
            out.raw((byte) ',');
            out.ascii(r.port() == null ? "null" : Integer.toString(r.port()));
        }
        if (count >= 3) {
            out.raw((byte) ',');
            out.number(r.waitSeconds());
        }
        Wire.endParams(out);
    }
}
