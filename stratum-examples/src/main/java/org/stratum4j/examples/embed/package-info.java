/**
 * The embedding example: {@link org.stratum4j.examples.embed.EmbeddedPool}, a complete pool in
 * one small class, as {@code docs/EMBEDDING.md} explains it.
 */
package org.stratum4j.examples.embed;
