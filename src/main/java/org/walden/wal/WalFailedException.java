package org.walden.wal;

/**
 * The WAL can no longer be written: a write or an fsync failed. Sticky: once thrown, every later
 * insert and wait throws it too, and the server stops (PostgreSQL PANICs on a failed WAL fsync;
 * retrying would risk acknowledging data the kernel has already dropped).
 */
public final class WalFailedException extends RuntimeException {
  public WalFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
