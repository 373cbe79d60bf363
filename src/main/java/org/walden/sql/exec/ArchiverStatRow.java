package org.walden.sql.exec;

import java.time.Instant;

/**
 * The archiver's counters, as the one row of {@code pg_stat_archiver} (PostgreSQL 15's columns in
 * order). Null means SQL NULL.
 *
 * @param archivedCount WAL files archived successfully
 * @param lastArchivedWal the name of the last one
 * @param lastArchivedTime when it was archived
 * @param failedCount failed attempts
 * @param lastFailedWal the file of the last failure
 * @param lastFailedTime when it failed
 * @param statsReset when these counters were last reset
 */
public record ArchiverStatRow(
    long archivedCount,
    String lastArchivedWal,
    Instant lastArchivedTime,
    long failedCount,
    String lastFailedWal,
    Instant lastFailedTime,
    Instant statsReset) {

  /** No archiving ever attempted, counters never reset. */
  public static final ArchiverStatRow NOTHING_ARCHIVED =
      new ArchiverStatRow(0, null, null, 0, null, null, null);
}
