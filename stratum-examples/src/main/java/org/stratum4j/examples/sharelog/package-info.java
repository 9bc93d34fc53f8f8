/** The durable share log: accepted shares as JSON lines, on disk before the miner hears {@code true}. */
package org.stratum4j.examples.sharelog;
