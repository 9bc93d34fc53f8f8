/**
 * stratum4j's core: the Stratum pool as pure domain logic, with no sockets, threads, files or wall
 * clock. Bitcoin primitives with byte order in their types ({@code core.bitcoin}), Stratum V1
 * messages and their codec ({@code core.protocol}), jobs from block templates ({@code core.job}),
 * share validation ({@code core.share}), the engine and its SPIs ({@code core.engine}), PPLNS
 * payouts ({@code core.payout}), a proxy's extranonce arithmetic ({@code core.proxy}), and Stratum
 * V2 with its Noise channel ({@code core.sv2}, {@code core.sv2.noise}). Every package is API.
 */
module org.stratum4j.core {
    // BlockTemplateParser.read takes a jackson JsonParser: users of that method need the module too.
    requires transitive com.fasterxml.jackson.core;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports org.stratum4j.core.bitcoin;
    exports org.stratum4j.core.engine;
    exports org.stratum4j.core.job;
    exports org.stratum4j.core.payout;
    exports org.stratum4j.core.protocol;
    exports org.stratum4j.core.proxy;
    exports org.stratum4j.core.share;
    exports org.stratum4j.core.sv2;
    exports org.stratum4j.core.sv2.noise;
}
