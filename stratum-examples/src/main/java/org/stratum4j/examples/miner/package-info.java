/** A small multi-threaded CPU miner on {@code StratumClient}, for trying a pool end to end. */
package org.stratum4j.examples.miner;
