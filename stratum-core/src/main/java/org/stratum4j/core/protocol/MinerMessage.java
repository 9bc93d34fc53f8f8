package org.stratum4j.core.protocol;

/**
 * What a miner sends a pool, as {@link PoolCodec#decode} reads it: a request, a response to a
 * pool's request (e.g. {@code client.get_version}), or a {@link DecodeError}.
 */
public sealed interface MinerMessage permits Subscribe, Authorize, Configure, Submit, SuggestDifficulty,
        ExtranonceSubscribe, GetTransactions, MultiVersion, UnknownMethod, Response, DecodeError {

    /** The request id, echoed verbatim in the answer ({@link RequestId#NULL} for none). */
    RequestId id();
}
