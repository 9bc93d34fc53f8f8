/**
 * Coverage-guided fuzz targets (Jazzer, libFuzzer's {@code fuzzerTestOneInput} entry point) for
 * every parser of outside bytes in core: Stratum lines from miners and from pools,
 * {@code getblocktemplate} results, raw transactions and addresses. Each target fails (an
 * uncaught exception) only on a real defect: an exception a caller is not promised, a parser
 * left in a bad state, or an answer that contradicts itself. The build runs each one for a short
 * while ({@code fuzz.runs}); BENCHMARKS.md records a long run.
 */
package org.stratum4j.core.fuzz;
