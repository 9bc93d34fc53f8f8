package org.stratum4j.core.protocol;

import java.util.Arrays;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Hex;

/**
 * {@code mining.submit [worker, job_id, extranonce2, ntime, nonce, version_bits?]}: a share.
 *
 * <p>{@code ntime}, {@code nonce} and {@code version_bits} arrive as big-endian hex of a 32-bit
 * value (a nonce may lack leading zeros and is left-padded); here they are plain {@code int}s, to be
 * written little-endian into the header. {@code extranonce2} is raw bytes, inserted as they are.
 *
 * <p>When the params are malformed the message is still a {@code Submit}, with
 * {@link #paramsError()} saying what is wrong, so that the pool checks subscription (25) and the
 * worker (24) before answering 20. Then only {@link #worker()} may be set.
 */
public final class Submit implements MinerMessage {

    private final RequestId id;
    private final String worker;
    private final String jobId;
    private final byte[] extranonce2;
    private final int ntime;
    private final int nonce;
    private final boolean hasVersionBits;
    private final int versionBits;
    private final String paramsError;

    private Submit(RequestId id, String worker, String jobId, byte[] extranonce2, int ntime, int nonce,
            boolean hasVersionBits, int versionBits, String paramsError) {
        this.id = Objects.requireNonNull(id, "id");
        this.worker = worker;
        this.jobId = jobId;
        this.extranonce2 = extranonce2;
        this.ntime = ntime;
        this.nonce = nonce;
        this.hasVersionBits = hasVersionBits;
        this.versionBits = versionBits;
        this.paramsError = paramsError;
    }

    /** A well-formed share without version bits. */
    public static Submit of(RequestId id, String worker, String jobId, byte[] extranonce2, int ntime, int nonce) {
        return new Submit(id, Objects.requireNonNull(worker, "worker"), Objects.requireNonNull(jobId, "jobId"),
                extranonce2.clone(), ntime, nonce, false, 0, null);
    }

    /** A well-formed share with version bits (BIP310 version rolling). */
    public static Submit of(RequestId id, String worker, String jobId, byte[] extranonce2, int ntime, int nonce, int versionBits) {
        return new Submit(id, Objects.requireNonNull(worker, "worker"), Objects.requireNonNull(jobId, "jobId"),
                extranonce2.clone(), ntime, nonce, true, versionBits, null);
    }

    /** A submit whose params are malformed; {@code worker} is null when even it could not be read. */
    public static Submit malformed(RequestId id, String worker, String paramsError) {
        return new Submit(id, worker, null, null, 0, 0, false, 0, Objects.requireNonNull(paramsError, "paramsError"));
    }

    /** Decoder path: takes ownership of {@code extranonce2}. */
    static Submit decoded(RequestId id, String worker, String jobId, byte[] extranonce2, int ntime, int nonce,
            boolean hasVersionBits, int versionBits) {
        return new Submit(id, worker, jobId, extranonce2, ntime, nonce, hasVersionBits, versionBits, null);
    }

    @Override
    public RequestId id() {
        return id;
    }

    /** The worker name, or null when params[0] was not a string. */
    public String worker() {
        return worker;
    }

    /** What is wrong with the params, or null when they are well-formed. */
    public String paramsError() {
        return paramsError;
    }

    /** Whether the params are well-formed (and every accessor below is meaningful). */
    public boolean isWellFormed() {
        return paramsError == null;
    }

    /** The job id. */
    public String jobId() {
        return jobId;
    }

    /** A copy of extranonce2. */
    public byte[] extranonce2() {
        return extranonce2 == null ? null : extranonce2.clone();
    }

    /** Length of extranonce2 in bytes, without copying it. */
    public int extranonce2Length() {
        return extranonce2 == null ? 0 : extranonce2.length;
    }

    /** Copies extranonce2 into {@code dst} at {@code offset}, without allocating. */
    public void copyExtranonce2To(byte[] dst, int offset) {
        System.arraycopy(extranonce2, 0, dst, offset, extranonce2.length);
    }

    /** The block time, an unsigned 32-bit value. */
    public int ntime() {
        return ntime;
    }

    /** The nonce, an unsigned 32-bit value. */
    public int nonce() {
        return nonce;
    }

    /** Whether a sixth param (version bits) was sent. */
    public boolean hasVersionBits() {
        return hasVersionBits;
    }

    /** The version bits (0 when not sent). */
    public int versionBits() {
        return versionBits;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Submit)) {
            return false;
        }
        Submit s = (Submit) o;
        return id.equals(s.id) && Objects.equals(worker, s.worker) && Objects.equals(jobId, s.jobId)
                && Arrays.equals(extranonce2, s.extranonce2) && ntime == s.ntime && nonce == s.nonce
                && hasVersionBits == s.hasVersionBits && versionBits == s.versionBits && Objects.equals(paramsError, s.paramsError);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, worker, jobId, Arrays.hashCode(extranonce2), ntime, nonce, versionBits);
    }

    @Override
    public String toString() {
        if (paramsError != null) {
            return "Submit{id=" + id + ", worker=" + worker + ", paramsError=" + paramsError + '}';
        }
        return "Submit{id=" + id + ", worker=" + worker + ", job=" + jobId + ", en2=" + Hex.encode(extranonce2)
                + String.format(", ntime=%08x, nonce=%08x", ntime, nonce)
                + (hasVersionBits ? String.format(", version=%08x", versionBits) : "") + '}';
    }
}
