/**
 * Stratum V2's secure channel: the {@code Noise_NX_Secp256k1+EllSwift_ChaChaPoly_SHA256} handshake
 * ({@link org.stratum4j.core.sv2.noise.NoiseInitiator}, {@link org.stratum4j.core.sv2.noise.NoiseResponder}),
 * the authority's certificate for the server's static key
 * ({@link org.stratum4j.core.sv2.noise.Certificate}, {@link org.stratum4j.core.sv2.noise.ServerIdentity}),
 * BIP324's ElligatorSwift ({@link org.stratum4j.core.sv2.noise.EllSwift}) and the encrypted framing
 * ({@link org.stratum4j.core.sv2.noise.NoiseSession}). State machines over byte arrays: no I/O, no
 * clock (times are passed in), randomness injected.
 */
package org.stratum4j.core.sv2.noise;
