package org.walden.recovery;

import org.walden.wal.WalSegmentName;

/**
 * Recovery's view of {@code restore_command} (PostgreSQL's {@code RestoreArchivedFile} with {@code
 * KeepFileRestoredFromArchive}): bring one segment from the archive into {@code pg_wal} under its
 * own name. The node adapts the archive package's {@code RestoreCommand} to it.
 */
public interface WalArchive {

  /** What one attempt found. */
  enum Outcome {
    /** The segment is now complete in {@code pg_wal}, replacing any partial copy. */
    RESTORED,
    /** Not in the archive (yet), or no {@code restore_command} is set. */
    NOT_FOUND
  }

  /** Is a {@code restore_command} set? */
  boolean configured();

  /**
   * Restores {@code segment} into {@code pg_wal}.
   *
   * @throws RecoveryException if the command failed in a way that must stop recovery (killed by a
   *     signal, a file of the wrong size), as PostgreSQL treats it
   */
  Outcome restore(WalSegmentName segment) throws RecoveryException;

  /**
   * Restores the history file of {@code tli} ({@code %08X.history}) into {@code pg_wal}, if the
   * archive has it.
   */
  default Outcome restoreHistory(org.walden.wal.TimelineId tli) throws RecoveryException {
    return Outcome.NOT_FOUND;
  }
}
