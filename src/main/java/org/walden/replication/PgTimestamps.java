package org.walden.replication;

import java.time.Instant;

/**
 * Replication-protocol timestamps: int64 microseconds since 2000-01-01 00:00 UTC (PostgreSQL's
 * {@code TimestampTz}).
 */
public final class PgTimestamps {
  /** Seconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01. */
  public static final long POSTGRES_EPOCH_UNIX_SECONDS = 946_684_800L;

  private PgTimestamps() {}

  public static long toMicros(Instant t) {
    return (t.getEpochSecond() - POSTGRES_EPOCH_UNIX_SECONDS) * 1_000_000L + t.getNano() / 1_000;
  }

  public static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(
        POSTGRES_EPOCH_UNIX_SECONDS + Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
