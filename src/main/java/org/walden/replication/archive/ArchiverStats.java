package org.walden.replication.archive;

import java.time.Instant;

/**
 * The archiver's counters, as PostgreSQL keeps them for {@code pg_stat_archiver}. Written by the
 * archiver thread after each attempt; {@link #row} may be read from any thread and returns a
 * consistent copy.
 */
public final class ArchiverStats {

  /**
   * One row of {@code pg_stat_archiver}. Null fields are SQL NULLs (nothing archived or failed
   * yet).
   */
  public record Row(
      long archivedCount,
      String lastArchivedWal,
      Instant lastArchivedTime,
      long failedCount,
      String lastFailedWal,
      Instant lastFailedTime,
      Instant statsReset) {}

  private Row row; // guarded by this

  public ArchiverStats(Instant now) {
    row = new Row(0, null, null, 0, null, null, now);
  }

  public synchronized Row row() {
    return row;
  }

  synchronized void archived(String fileName, Instant at) {
    row =
        new Row(
            row.archivedCount() + 1,
            fileName,
            at,
            row.failedCount(),
            row.lastFailedWal(),
            row.lastFailedTime(),
            row.statsReset());
  }

  synchronized void failed(String fileName, Instant at) {
    row =
        new Row(
            row.archivedCount(),
            row.lastArchivedWal(),
            row.lastArchivedTime(),
            row.failedCount() + 1,
            fileName,
            at,
            row.statsReset());
  }

  /** {@code pg_stat_reset_shared('archiver')}. */
  public synchronized void reset(Instant now) {
    row = new Row(0, null, null, 0, null, null, now);
  }
}
