/**
 * The load generator: thousands of loopback connections that subscribe, authorize and submit
 * random-nonce shares at a set rate, measuring submit round trips, unanswered submits, the
 * fan-out spread of new blocks' jobs and the pool's memory per session
 * ({@link org.stratum4j.examples.loadgen.LoadGenMain}).
 */
package org.stratum4j.examples.loadgen;
