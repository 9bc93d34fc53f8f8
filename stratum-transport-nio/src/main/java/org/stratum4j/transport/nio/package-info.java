/**
 * The {@code java.nio} transport: {@link org.stratum4j.transport.nio.StratumServer} (an acceptor,
 * event loops that own their connections, newline framing with a length cap, bounded output,
 * connection limits and bans) in front of a {@link org.stratum4j.core.engine.PoolEngine}.
 */
package org.stratum4j.transport.nio;
