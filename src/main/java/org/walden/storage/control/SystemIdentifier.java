package org.walden.storage.control;

import java.time.Instant;

/**
 * The unique identifier of a database system, chosen at {@code walden init} and kept by every
 * standby made from it (PostgreSQL's {@code system_identifier}). Replication refuses to connect
 * systems whose identifiers differ. An unsigned 64-bit number, printed in decimal as {@code
 * IDENTIFY_SYSTEM} and {@code pg_controldata} print it.
 */
public record SystemIdentifier(long value) {

  /**
   * A fresh identifier made as PostgreSQL makes it: seconds since the epoch in the high 32 bits,
   * then the microseconds and the low bits of the pid, so two systems initialized at the same
   * second on one host still differ.
   */
  public static SystemIdentifier generate(Instant now, long pid) {
    long seconds = now.getEpochSecond();
    long micros = now.getNano() / 1000L;
    return new SystemIdentifier((seconds << 32) | (micros << 12) | (pid & 0xFFF));
  }

  /** Parses the decimal form. */
  public static SystemIdentifier parse(String text) {
    return new SystemIdentifier(Long.parseUnsignedLong(text));
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(value);
  }
}
