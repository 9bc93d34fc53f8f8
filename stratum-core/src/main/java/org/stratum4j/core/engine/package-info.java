/**
 * The pool engine: sessions and their methods, share validation in the protocol's order, vardiff,
 * jobs for every session, and the SPIs where pools differ ({@link org.stratum4j.core.engine.Authorizer},
 * {@link org.stratum4j.core.engine.ShareSink}, {@link org.stratum4j.core.engine.BlockSubmitter},
 * {@link org.stratum4j.core.engine.TemplateSource}, {@link org.stratum4j.core.engine.DifficultyPolicy},
 * {@link org.stratum4j.core.engine.ExtranonceAllocator}, {@link org.stratum4j.core.engine.BanPolicy},
 * {@link org.stratum4j.core.engine.Payouts}, and {@link org.stratum4j.core.share.PowFunction}). No
 * sockets, threads, files or wall clock: the transport drives it through
 * {@link org.stratum4j.core.engine.Connection}.
 */
package org.stratum4j.core.engine;
