package org.walden.wal;

import java.nio.ByteBuffer;

/**
 * The write side of the WAL as the layers above see it: append a record, wait for it to be durable.
 * Implemented by {@link WalWriter}; an interface so storage can be tested against a WAL that fails
 * or stalls.
 *
 * <p>Thread-safe: any number of sessions insert concurrently. Records are placed in the order their
 * {@code insert} calls take the insert lock, and every record is complete in the WAL buffer when
 * {@code insert} returns.
 */
public interface WalInserter {

  /**
   * Appends one record and returns where it landed. The body is copied; the caller may reuse it.
   *
   * @throws WalFailedException if the WAL has failed (a write or fsync error): the server must
   *     stop; nothing may be acknowledged after this
   */
  InsertedRecord insert(RecordKind kind, Xid xid, ByteBuffer body);

  /**
   * Blocks until the WAL is durable at least up to {@code upTo} (group commit: one flush serves
   * every waiter it covers).
   *
   * @throws WalFailedException if the WAL failed before reaching {@code upTo}
   */
  void waitForFlush(Lsn upTo) throws InterruptedException;

  /** Asks the flusher to write and flush up to {@code upTo} soon, without waiting. */
  void requestFlush(Lsn upTo);

  /** The end of the last inserted record (where the next one would start, before alignment). */
  Lsn insertPosition();

  /** Last byte + 1 known durable on disk ({@code flushedUpto}). */
  Lsn flushedUpto();

  /** Registers a listener called on the flusher thread after each successful flush. */
  void addFlushListener(FlushListener listener);

  /** Called after the WAL became durable up to {@code flushedUpto}; must be quick. */
  @FunctionalInterface
  interface FlushListener {
    void flushed(Lsn flushedUpto);
  }

  /** Where one record was placed: {@code start} of its header, {@code end} = last byte + 1. */
  record InsertedRecord(Lsn start, Lsn end) {}
}
