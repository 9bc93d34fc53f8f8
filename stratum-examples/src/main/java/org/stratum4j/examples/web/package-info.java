/**
 * The public web dashboard ({@code --web-port}): pages for the pool and for each miner's address,
 * the JSON API behind them, and the charts (uPlot, served from the jar). Data comes through
 * {@link org.stratum4j.examples.web.DashboardSource}: from memory ({@link
 * org.stratum4j.examples.web.ShareHistory}) for one process.
 */
package org.stratum4j.examples.web;
