/**
 * stratum4j's transport: a {@code java.nio} selector server for a {@code PoolEngine} (plain TCP,
 * TLS, the PROXY protocol, Stratum V2 ports) and Stratum clients (V1, TLS, V2), with no
 * dependency beyond the core. Only {@code org.stratum4j.transport.nio} is exported; its
 * event loops, wires and framers are package-private.
 */
module org.stratum4j.transport.nio {
    requires transitive org.stratum4j.core;
    requires org.slf4j;

    exports org.stratum4j.transport.nio;
}
