package org.walden.storage.type;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A timestamp as PostgreSQL stores it: microseconds since 2000-01-01 00:00:00 (for {@code
 * timestamptz}, 2000-01-01 00:00:00 UTC). The same value class serves both {@code timestamp} and
 * {@code timestamptz}; the column type decides how it is printed. Chosen over {@link
 * LocalDateTime}/{@link Instant} so rows encode and compare without conversions.
 */
public record PgTimestamp(long micros) implements Comparable<PgTimestamp> {

  /** 2000-01-01 00:00:00 UTC in Unix epoch microseconds. */
  public static final long PG_EPOCH_UNIX_MICROS = 946_684_800_000_000L;

  public static PgTimestamp ofUnixMicros(long unixMicros) {
    return new PgTimestamp(unixMicros - PG_EPOCH_UNIX_MICROS);
  }

  public static PgTimestamp of(Instant instant) {
    return ofUnixMicros(
        Math.addExact(
            Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000));
  }

  public static PgTimestamp of(LocalDateTime ldt) {
    return of(ldt.toInstant(ZoneOffset.UTC));
  }

  public long unixMicros() {
    return micros + PG_EPOCH_UNIX_MICROS;
  }

  public Instant toInstant() {
    long u = unixMicros();
    return Instant.ofEpochSecond(
        Math.floorDiv(u, 1_000_000L), Math.floorMod(u, 1_000_000L) * 1000L);
  }

  public LocalDateTime toLocalDateTime() {
    return LocalDateTime.ofInstant(toInstant(), ZoneOffset.UTC);
  }

  @Override
  public int compareTo(PgTimestamp o) {
    return Long.compare(micros, o.micros);
  }
}
