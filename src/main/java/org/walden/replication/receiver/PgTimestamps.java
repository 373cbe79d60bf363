package org.walden.replication.receiver;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** PostgreSQL replication timestamps: int64 microseconds since 2000-01-01 00:00 UTC. */
public final class PgTimestamps {

  /** Microseconds from the Unix epoch to the PostgreSQL epoch (2000-01-01). */
  static final long POSTGRES_EPOCH_UNIX_MICROS = 946_684_800_000_000L;

  private PgTimestamps() {}

  public static long fromInstant(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t) - POSTGRES_EPOCH_UNIX_MICROS;
  }

  public static Instant toInstant(long pgMicros) {
    return Instant.EPOCH.plus(pgMicros + POSTGRES_EPOCH_UNIX_MICROS, ChronoUnit.MICROS);
  }
}
