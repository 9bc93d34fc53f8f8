/**
 * Stratum V2 (issue #19, under construction): so far {@link org.stratum4j.core.sv2.EllSwift}, the
 * BIP324 ElligatorSwift encoding, decoding and x-only ECDH that the Noise handshake builds on. Pure: byte
 * arrays in and out, no I/O.
 */
package org.stratum4j.core.sv2;
