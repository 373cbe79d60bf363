package org.walden.node;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.walden.config.Config;
import org.walden.config.Settings;
import org.walden.replication.archive.ArchiveStatusDir;
import org.walden.replication.archive.Archiver;
import org.walden.wal.WalRetention;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalWriter;

/**
 * Builds and starts a primary's archiver from the settings ({@code archive_mode}, {@code
 * archive_command}, {@code archive_timeout}); the node calls {@link #startIfEnabled} before the
 * checkpointer starts (so no unarchived segment can be removed) and stops the archiver after the
 * shutdown checkpoint.
 */
final class Archiving {

  /** The retention holder's name. */
  static final String HOLDER = "archiver";

  private Archiving() {}

  /** Returns the running archiver, or null if {@code archive_mode} does not call for one. */
  static Archiver startIfEnabled(
      DataDirectory dir,
      Supplier<Config> config,
      WalSegmentFiles segments,
      WalWriter wal,
      WalRetention retention,
      Clock clock,
      BooleanSupplier shuttingDown)
      throws IOException {
    if (!Archiver.shouldRun(config.get().get(Settings.ARCHIVE_MODE), false)) {
      return null;
    }
    Archiver a =
        new Archiver(
            dir.root(),
            segments,
            ArchiveStatusDir.open(segments),
            () -> config.get().get(Settings.ARCHIVE_COMMAND),
            wal::flushedUpto,
            clock,
            Archiver.Timing.POSTGRES);
    a.attach(
        wal,
        () -> {
          // no forced switch once shutdown began: the shutdown checkpoint must end the WAL
          // (narrowed, not closed: a switch already being inserted can still land after it)
          if (shuttingDown.getAsBoolean()) {
            return Duration.ZERO;
          }
          Config c = config.get();
          return Settings.ARCHIVE_TIMEOUT.toDuration(c.get(Settings.ARCHIVE_TIMEOUT));
        });
    retention.register(HOLDER, a);
    a.start();
    return a;
  }
}
