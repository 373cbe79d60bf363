package org.walden.replication.archive;

import java.nio.file.Path;

/** What {@link RestoreCommand#restore} did. */
public sealed interface RestoreResult {

  /**
   * The file came from the archive and now lies under its own name in {@code pg_wal} ({@code
   * path}), with its archive status set.
   */
  record Restored(Path path) implements RestoreResult {}

  /**
   * The archive does not have the file (yet), or no {@code restore_command} is set: the normal
   * answer when recovery has read everything archived. {@code detail} says why, for debug logs.
   */
  record NotFound(String detail) implements RestoreResult {}

  /**
   * Restoring failed in a way recovery must not go on from: the command was killed by a signal or
   * could not run (exit status above 125), or it delivered a file of the wrong size, or the file
   * could not be installed. The caller stops recovery with {@code message} (PostgreSQL: FATAL).
   */
  record Fatal(String message) implements RestoreResult {}
}
