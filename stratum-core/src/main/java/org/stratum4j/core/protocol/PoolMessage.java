package org.stratum4j.core.protocol;

/**
 * What a pool sends a miner, as {@link ClientCodec#decode} reads it: a notification, a request
 * ({@code client.get_version}), a response to one of the miner's requests, or a
 * {@link DecodeError}.
 */
public sealed interface PoolMessage permits Notify, SetDifficulty, SetVersionMask, SetExtranonce, Reconnect,
        ShowMessage, GetVersion, UnknownMethod, Response, DecodeError {

    /** The id: {@link RequestId#NULL} for notifications. */
    RequestId id();
}
