package org.walden.replication.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.ArchiveMode;
import org.walden.fs.FileIo;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentName;

/**
 * Fetches a WAL file from the archive with {@code restore_command} (PostgreSQL's
 * RestoreArchivedFile followed by KeepFileRestoredFromArchive), for a standby or an archive
 * recovery.
 *
 * <p>The command is run with {@code %f} = the file wanted, {@code %p} = {@code pg_wal/RECOVERYXLOG}
 * (the temporary name, relative to the data directory, which is the working directory), {@code %r}
 * = the file holding the last restart point's redo position (what {@code pg_archivecleanup} may
 * clean up to) and {@code %%}. Exit status 0 with the file present means restored; a segment must
 * then be exactly {@code wal_segment_size} bytes. The file is renamed durably to its real name
 * (replacing a file of that name) and marked {@code .done}, or {@code .ready} with {@code
 * archive_mode = always} so that this node archives it too.
 *
 * <p>Exit status rules (the docs' "Recovery configuration"): any other non-zero status means "not
 * in the archive", the normal end of what the archive holds; death by a signal or a status above
 * 125 (the shell could not run the command, or reports a killed child) is fatal.
 *
 * <p>Called by one recovery thread at a time (it uses one temporary name).
 */
public final class RestoreCommand {

  private static final Logger log = LoggerFactory.getLogger(RestoreCommand.class);

  /** PostgreSQL's temporary name for a file being restored. */
  public static final String TEMP_NAME = "RECOVERYXLOG";

  private final Path dataDir;
  private final WalSegmentFiles segments;
  private final ArchiveStatusDir status;
  private final Supplier<String> restoreCommand;
  private final Supplier<ArchiveMode> archiveMode;
  private final Duration commandLimit;
  private volatile Consumer<String> beforeReady = name -> {};

  public RestoreCommand(
      Path dataDir,
      WalSegmentFiles segments,
      ArchiveStatusDir status,
      Supplier<String> restoreCommand,
      Supplier<ArchiveMode> archiveMode,
      Duration commandLimit) {
    this.dataDir = dataDir;
    this.segments = segments;
    this.status = status;
    this.restoreCommand = restoreCommand;
    this.archiveMode = archiveMode;
    this.commandLimit = commandLimit;
  }

  /**
   * Called with the file name just before a restored file is marked {@code .ready} ({@code
   * archive_mode = always}); the node passes the archiver's {@link Archiver#noteReady}, which holds
   * the segment against removal and wakes the archiver.
   */
  public void beforeReady(Consumer<String> listener) {
    this.beforeReady = listener;
  }

  /** As {@link #restore(String, String, boolean)} outside standby mode. */
  public RestoreResult restore(String fileName, String lastRestartPointFile)
      throws InterruptedException {
    return restore(fileName, lastRestartPointFile, false);
  }

  /**
   * Restores {@code fileName} (a segment or a {@code NNNNNNNN.history} file) into {@code pg_wal}.
   *
   * @param lastRestartPointFile the segment file name holding the last restart point's redo
   *     position ({@code %r})
   * @param standbyMode in standby mode a segment shorter than a segment is taken to be still being
   *     copied into the archive: not found (yet), not fatal, as in PostgreSQL
   */
  public RestoreResult restore(String fileName, String lastRestartPointFile, boolean standbyMode)
      throws InterruptedException {
    java.util.Objects.requireNonNull(fileName, "fileName");
    java.util.Objects.requireNonNull(lastRestartPointFile, "lastRestartPointFile (%r)");
    if (fileName.isEmpty() || fileName.contains("/") || fileName.startsWith(".")) {
      throw new IllegalArgumentException("not a WAL file name: \"" + fileName + "\"");
    }
    String template = restoreCommand.get();
    if (template == null || template.isBlank()) {
      return new RestoreResult.NotFound("restore_command is not set");
    }
    FileIo io = segments.durable().io();
    Path temp = segments.dir().resolve(TEMP_NAME);
    Path target = segments.dir().resolve(fileName);
    String command =
        ShellCommand.substitute(
            template,
            Map.of(
                'p', dataDir.relativize(temp).toString(),
                'f', fileName,
                'r', lastRestartPointFile));
    try {
      io.delete(temp); // a leftover from an earlier attempt must not pass as restored
      log.debug("executing restore command \"{}\"", command);
      ShellCommand.Outcome o = ShellCommand.run(command, dataDir, commandLimit);
      if (!o.succeeded()) {
        String why = "could not restore file \"" + fileName + "\" from archive: " + o.describe();
        io.delete(temp);
        if (o.isSignalOrHardFailure()) {
          log.error(why);
          return new RestoreResult.Fatal(why);
        }
        log.debug(why);
        return new RestoreResult.NotFound(why);
      }
      if (!io.exists(temp)) {
        String why = "could not stat file \"" + dataDir.relativize(temp) + "\": No such file";
        log.debug("could not restore file \"{}\" from archive: {}", fileName, why);
        return new RestoreResult.NotFound(why);
      }
      if (WalSegmentName.parse(fileName, segments.segmentSize()).isPresent()) {
        long size = io.size(temp);
        long expected = segments.segmentSize().bytes();
        if (size != expected) {
          io.delete(temp);
          String why =
              "archive file \""
                  + fileName
                  + "\" has wrong size: "
                  + size
                  + " instead of "
                  + expected;
          if (standbyMode && size < expected) {
            log.debug(why);
            return new RestoreResult.NotFound(why);
          }
          log.error(why);
          return new RestoreResult.Fatal(why);
        }
      }
      keep(temp, target, fileName);
      log.info("restored log file \"{}\" from archive", fileName);
      return new RestoreResult.Restored(target);
    } catch (IOException e) {
      String why = "could not restore file \"" + fileName + "\" from archive: " + e.getMessage();
      log.error(why);
      return new RestoreResult.Fatal(why);
    }
  }

  /**
   * PostgreSQL's KeepFileRestoredFromArchive: the restored file replaces any file of its name
   * (durable rename), and its status says whether this node archives it: {@code .ready} with {@code
   * archive_mode = always}, else {@code .done} (the archive has it already).
   */
  private void keep(Path temp, Path target, String fileName) throws IOException {
    segments.durable().durableRename(temp, target);
    if (archiveMode.get() == ArchiveMode.ALWAYS) {
      beforeReady.accept(fileName);
      status.markReady(fileName);
    } else {
      status.markDone(fileName);
    }
  }
}
