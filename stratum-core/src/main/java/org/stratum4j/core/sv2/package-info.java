/**
 * Stratum V2, the Mining Protocol on the pool's shared {@link org.stratum4j.core.engine.PoolCore}:
 * the messages ({@link org.stratum4j.core.sv2.Sv2Message}) and their binary encoding
 * ({@link org.stratum4j.core.sv2.Sv2Codec}), and the server front-end
 * ({@link org.stratum4j.core.sv2.Sv2Engine}) that runs standard and extended channels on the same
 * jobs, share validation, sink and block path as V1. The secure channel underneath is
 * {@link org.stratum4j.core.sv2.noise}. Pure: no I/O, time from the core's clock.
 */
package org.stratum4j.core.sv2;
