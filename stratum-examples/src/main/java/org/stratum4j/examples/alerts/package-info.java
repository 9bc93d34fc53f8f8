/**
 * Alerts for operators and miners: events (a worker offline or back, a block found, the node or the
 * database lost or back) POSTed as JSON to webhooks, from bounded queues on their own threads, so
 * that a slow or dead receiver never slows mining.
 */
package org.stratum4j.examples.alerts;
