package org.walden.storage.redo;

import org.walden.wal.Lsn;

/**
 * A WAL record could not be replayed: a malformed body or a change to a table that does not exist.
 * Means the WAL (or the snapshot it is applied to) is corrupt; recovery must stop loudly, never
 * skip the record.
 */
public final class RedoException extends RuntimeException {

  private final Lsn lsn;

  public RedoException(Lsn lsn, String message, Throwable cause) {
    super("cannot replay WAL record at " + lsn + ": " + message, cause);
    this.lsn = lsn;
  }

  /** The start of the offending record. */
  public Lsn lsn() {
    return lsn;
  }
}
