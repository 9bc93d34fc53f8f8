/**
 * An embedded, in-process chain for trying the pool without a Bitcoin node: it serves templates,
 * judges submitted blocks with Bitcoin Core's rules and advances its tip.
 */
package org.stratum4j.examples.demo;
