package org.walden.wal;

/**
 * What reading the WAL at a position found. Every read of durable WAL ends in exactly one of these;
 * none is an exception, because each is a normal outcome for someone: end of WAL ends crash
 * recovery, a torn tail is what a crash mid-write leaves, a missing segment sends a standby to the
 * archive or the stream. Only {@link Corrupt} must stop whoever reads.
 */
public sealed interface ReadResult {

  /** A valid record. */
  record Record(WalRecord record) implements ReadResult {}

  /**
   * No record at {@code at}: zeros, a page not yet written (or left over from a recycled segment),
   * or the reader's read limit. Nothing valid follows.
   */
  record EndOfWal(Lsn at) implements ReadResult {}

  /**
   * A record was begun at {@code at} but is incomplete or fails its checksum, and nothing valid
   * follows: the tail a crash during a write leaves. Recovery ends here and new WAL overwrites it.
   */
  record TornTail(Lsn at, String reason) implements ReadResult {}

  /**
   * The record at {@code at} is invalid but valid WAL follows it: damage in the middle of the log.
   * Never truncated silently.
   */
  record Corrupt(Lsn at, String reason) implements ReadResult {}

  /** The segment holding {@code at} is not present in the source. */
  record MissingSegment(Lsn at, long segNo) implements ReadResult {}
}
