package org.walden.node;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.walden.config.AutoConfFile;
import org.walden.config.ConfigException;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.storage.control.ControlData;
import org.walden.storage.control.ControlFileReadResult;
import org.walden.storage.control.ControlFileStore;
import org.walden.storage.control.DbState;

/**
 * Makes a standby from a cleanly stopped primary ({@code walden clone}): copies its data directory,
 * adds {@code standby.signal}, and writes {@code primary_conninfo} (and any other given settings)
 * into the copy's {@code postgresql.auto.conf}. Until base backups exist this is how a standby is
 * made; a cleanly stopped source has a shutdown checkpoint as its last record, so the copy is
 * consistent as it stands and its recovery starts right there.
 *
 * <p>Every copied file and directory is forced before the signal file is written, and the signal
 * file last, so a copy interrupted half-way never starts as a standby. Stateless.
 */
public final class StandbyClone {
  private StandbyClone() {}

  /**
   * Copies {@code source} to {@code target} (which must not exist or be empty) as a standby.
   *
   * @param settings written to the copy's {@code postgresql.auto.conf}, e.g. {@code
   *     primary_conninfo}, {@code port}
   * @throws StartupException if the source is not a cleanly stopped Walden data directory or the
   *     target is in use
   */
  public static void cloneStopped(Path source, Path target, Map<String, String> settings)
      throws IOException, StartupException {
    DataDirectory src = new DataDirectory(source);
    try {
      src.validate();
    } catch (DataDirectoryException e) {
      throw new StartupException(e.getMessage(), e.hint(), e);
    }
    if (RunningServer.find(src.root()).isPresent()) {
      throw new StartupException(
          "the source data directory \"" + src.root() + "\" is in use by a running server",
          "Stop the server on it with \"walden stop -D " + src.root() + "\" and clone again.");
    }
    DurableFiles durable = new DurableFiles(FileIo.nio());
    ControlFileReadResult r = new ControlFileStore(src.root(), durable).read();
    if (!(r instanceof ControlFileReadResult.Valid v)) {
      throw new StartupException(r.describe(), "Only an intact data directory can be cloned.");
    }
    ControlData control = v.data();
    if (control.state() != DbState.SHUT_DOWN && control.state() != DbState.SHUT_DOWN_IN_RECOVERY) {
      throw new StartupException(
          "the source data directory \""
              + src.root()
              + "\" was not shut down cleanly (state: "
              + control.state()
              + ")",
          "Start it and stop it with \"walden stop -m fast\" first, so that it ends with a"
              + " shutdown checkpoint.");
    }
    Path dst = target.toAbsolutePath().normalize();
    if (Files.exists(dst)) {
      try (var s = Files.list(dst)) {
        if (s.findAny().isPresent()) {
          throw new StartupException(
              "directory \"" + dst + "\" exists but is not empty",
              "Remove it, or clone into a new directory.");
        }
      }
    }
    durable.durableMkdirs(dst);
    List<Path> dirs = new ArrayList<>();
    Files.walkFileTree(
        src.root(),
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            Path to = dst.resolve(src.root().relativize(d).toString());
            Node.mkdir700(to);
            dirs.add(to);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Path rel = src.root().relativize(f);
            String name = rel.toString();
            if (name.equals("postmaster.pid")
                || name.equals("standby.signal")
                || name.equals("recovery.signal")
                || name.startsWith("pg_wal/archive_status/")
                // slots belong to their server: pg_basebackup leaves pg_replslot empty too
                || name.startsWith("pg_replslot/")
                || name.contains("xlogtemp")) {
              return FileVisitResult.CONTINUE;
            }
            Path to = dst.resolve(name);
            Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
            durable.fsyncFile(to);
            return FileVisitResult.CONTINUE;
          }
        });
    for (int i = dirs.size() - 1; i >= 0; i--) {
      durable.fsyncDirectory(dirs.get(i));
    }
    DataDirectory copy = new DataDirectory(dst);
    AutoConfFile auto = new AutoConfFile(copy.autoConf(), durable);
    try {
      for (Map.Entry<String, String> e : settings.entrySet()) {
        auto.set(e.getKey(), e.getValue());
      }
    } catch (ConfigException e) {
      throw new StartupException(e.describe(), e.hint(), e);
    }
    durable.durableCreate(copy.standbySignal());
  }
}
