package org.stratum4j.core.share;

import java.util.Arrays;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Submit;

/**
 * One session's last merkle root, keyed by what it depends on: the job, the session's
 * extranonce1 and the share's extranonce2. Version, ntime and nonce do not enter the root, and
 * miners roll them (a Bitaxe rolls version bits and nonces for a while before it moves its
 * extranonce2), so consecutive shares on the same extranonce2 skip the coinbase hash and every
 * branch step and cost only the header's hash. Not thread-safe: it belongs to one session, used on
 * that session's loop. A miss costs a 16-byte compare.
 */
public final class MerkleRootCache {

    private Job job;
    private byte[] extranonce1;
    private byte[] extranonce2 = new byte[0];
    private final byte[] root = new byte[Sha256Hash.LENGTH];

    /** An empty cache. */
    public MerkleRootCache() {
    }

    /** Copies the cached root into {@code out} at {@code offset} when the key matches; false otherwise. */
    boolean lookup(Job j, byte[] en1, Submit submit, byte[] scratch, byte[] out, int offset) {
        if (j != job || en1 != extranonce1 || submit.extranonce2Length() != extranonce2.length) {
            return false;
        }
        submit.copyExtranonce2To(scratch, 0);
        if (!Arrays.equals(scratch, 0, extranonce2.length, extranonce2, 0, extranonce2.length)) {
            return false;
        }
        System.arraycopy(root, 0, out, offset, Sha256Hash.LENGTH);
        return true;
    }

    /** Remembers {@code out[offset, offset+32)} as the root for this key. */
    void store(Job j, byte[] en1, Submit submit, byte[] out, int offset) {
        if (extranonce2.length != submit.extranonce2Length()) {
            extranonce2 = new byte[submit.extranonce2Length()];
        }
        submit.copyExtranonce2To(extranonce2, 0);
        System.arraycopy(out, offset, root, 0, Sha256Hash.LENGTH);
        job = j;
        extranonce1 = en1;
    }
}
