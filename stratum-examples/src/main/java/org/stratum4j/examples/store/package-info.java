/**
 * The share store on PostgreSQL: the schema and its migrations ({@code Migrations}), the daily
 * partitions of {@code shares} ({@code Partitions}), and where the database is ({@link
 * org.stratum4j.examples.store.DatabaseUrl}). Work in progress (issue 15): the shipper that copies
 * the share log into the database follows.
 */
package org.stratum4j.examples.store;
