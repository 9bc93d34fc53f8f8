package org.stratum4j.core.job;

import java.util.Objects;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.VarInt;

/**
 * Turns a solved share into the block {@code submitblock} takes:
 * {@code header ‖ varint(tx count) ‖ coinbase ‖ template transactions in template order}, with the
 * coinbase in witness form (the 32-byte zero reserved value) when the template has a witness
 * commitment.
 *
 * <p>Before it writes anything it checks that the header really belongs to the job (tip, nBits
 * and the merkle root of this coinbase), because a block assembled from mismatched parts is a
 * lost block that no error message brings back.
 */
public final class BlockAssembler {

    private BlockAssembler() {
    }

    /**
     * The serialized block for {@code header}, mined on {@code job} with these extranonces.
     *
     * @throws IllegalArgumentException when the header's previous hash, bits or merkle root do not
     *     match the job and extranonces, or an extranonce has the wrong length
     */
    public static byte[] assemble(Job job, byte[] extranonce1, byte[] extranonce2, BlockHeader header) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(header, "header");
        BlockTemplate template = job.template().orElseThrow(() -> new IllegalArgumentException("job " + job.id()
                + " is upstream work without a template; a block found on it goes back upstream"));
        Coinbase coinbase = job.coinbase();
        if (!header.prevHash().equals(template.previousBlockHash())) {
            throw new IllegalArgumentException("header builds on " + header.prevHash().toDisplayHex() + " but job " + job.id()
                    + " builds on " + template.previousBlockHash().toDisplayHex());
        }
        if (!header.bits().equals(template.bits())) {
            throw new IllegalArgumentException("header bits " + header.bits().toHex() + " differ from job " + job.id()
                    + "'s bits " + template.bits().toHex());
        }
        Sha256Hash root = job.merkleRoot(extranonce1, extranonce2);
        if (!header.merkleRoot().equals(root)) {
            throw new IllegalArgumentException("header merkle root " + header.merkleRoot().toDisplayHex()
                    + " is not the root of job " + job.id() + " with these extranonces (" + root.toDisplayHex() + ")");
        }
        byte[] coinbaseBytes = coinbase.serializeForBlock(extranonce1, extranonce2);
        int txCount = template.transactions().size() + 1;
        long size = (long) BlockHeader.LENGTH + VarInt.size(txCount) + coinbaseBytes.length;
        for (TemplateTransaction tx : template.transactions()) {
            size += tx.size();
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("block would be " + size + " bytes");
        }
        byte[] block = new byte[(int) size];
        header.writeTo(block, 0);
        int p = VarInt.write(txCount, block, BlockHeader.LENGTH);
        System.arraycopy(coinbaseBytes, 0, block, p, coinbaseBytes.length);
        p += coinbaseBytes.length;
        for (TemplateTransaction tx : template.transactions()) {
            p = tx.writeTo(block, p);
        }
        return block;
    }
}
