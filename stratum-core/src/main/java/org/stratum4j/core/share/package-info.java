/**
 * Share validation: the checks after a submit's job is found, proof of work through a pluggable
 * {@link org.stratum4j.core.share.PowFunction}, the per-job duplicate filter, and the
 * {@link org.stratum4j.core.share.Verdict} with its {@link org.stratum4j.core.share.RejectReason}.
 */
package org.stratum4j.core.share;
