package org.stratum4j.core.fuzz;

import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.BlockTemplateParser;

/**
 * Any body Bitcoin Core (or something posing as it) can return for {@code getblocktemplate}: the
 * parser either returns a template or throws {@link IllegalArgumentException} with a message;
 * nothing else escapes. A template it returns is usable: its coinbase branch can be computed.
 */
public final class TemplatesFuzz {

    private TemplatesFuzz() {
    }

    /** libFuzzer's entry point. */
    public static void fuzzerTestOneInput(byte[] json) {
        BlockTemplate t;
        try {
            t = BlockTemplateParser.parse(json);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new IllegalStateException("a refusal without a reason", e);
            }
            return;
        }
        t.coinbaseBranch();
    }
}
