/**
 * Column types and row encoding.
 *
 * <p>{@link org.walden.storage.type.ColumnType} knows each type's PostgreSQL OID, {@code typlen},
 * {@code typmod}, comparison, text input/output (as PostgreSQL with DateStyle ISO, TimeZone UTC,
 * bytea hex output, shortest round-trip float8), and value checks (22001, 22P02, 22003, 22008).
 * Timestamps are {@link org.walden.storage.type.PgTimestamp}: µs since 2000-01-01, as PostgreSQL
 * stores them. {@link org.walden.storage.type.RowCodec} turns a row into one compact {@code byte[]}
 * (null bitmap, fixed-width values, length-prefixed variable values): a pgbench_accounts row is 98
 * bytes. {@link org.walden.storage.type.RowKey} is a non-integer primary key.
 *
 * <p>Threads: none; everything here is immutable or single-owner ({@link
 * org.walden.storage.type.ByteSink}). Failure: bad client values raise {@link
 * org.walden.storage.StorageException}; misuse (wrong Java type) raises IllegalArgumentException.
 */
package org.walden.storage.type;
