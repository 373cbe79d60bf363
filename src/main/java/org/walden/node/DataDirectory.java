package org.walden.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The layout of a data directory (DESIGN §3) and the checks made before a server touches one: that
 * it exists, is Walden's, is of this format version, and has safe permissions.
 *
 * <pre>
 *   DATA/walden.conf  hba.conf  postgresql.auto.conf   settings and client authentication
 *   DATA/WALDEN_VERSION                                 data directory format version
 *   DATA/global/control                                 the control file
 *   DATA/pg_wal/  pg_wal/archive_status/                WAL segments and archive status
 *   DATA/base/                                          checkpoint snapshots
 *   DATA/pg_replslot/                                   replication slots
 *   DATA/postmaster.pid                                 lock: one server per directory
 * </pre>
 *
 * Immutable.
 */
public record DataDirectory(Path root) {

  /** Format version of the directory; bumped when an older server could not read it. */
  public static final int FORMAT_VERSION = 1;

  public static final String VERSION_FILE = "WALDEN_VERSION";

  public DataDirectory {
    root = root.toAbsolutePath().normalize();
  }

  public Path conf() {
    return root.resolve("walden.conf");
  }

  public Path autoConf() {
    return root.resolve("postgresql.auto.conf");
  }

  public Path hba() {
    return root.resolve("hba.conf");
  }

  public Path versionFile() {
    return root.resolve(VERSION_FILE);
  }

  public Path global() {
    return root.resolve("global");
  }

  public Path controlFile() {
    return global().resolve("control");
  }

  public Path wal() {
    return root.resolve("pg_wal");
  }

  public Path archiveStatus() {
    return wal().resolve("archive_status");
  }

  public Path base() {
    return root.resolve("base");
  }

  public Path replslot() {
    return root.resolve("pg_replslot");
  }

  public Path pidFile() {
    return root.resolve("postmaster.pid");
  }

  public Path standbySignal() {
    return root.resolve("standby.signal");
  }

  public Path recoverySignal() {
    return root.resolve("recovery.signal");
  }

  public Path backupLabel() {
    return root.resolve("backup_label");
  }

  /** True if the directory looks initialized (has a version file). */
  public boolean isInitialized() {
    return Files.exists(versionFile());
  }

  /**
   * Checks the directory before a server starts on it.
   *
   * @throws DataDirectoryException with an actionable message if it is missing, not Walden's, of
   *     another format version, or has unsafe permissions
   */
  public void validate() throws DataDirectoryException {
    if (!Files.isDirectory(root)) {
      throw new DataDirectoryException(
          "data directory \"" + root + "\" does not exist",
          "Run \"walden init -D " + root + "\" to create it.");
    }
    if (!Files.exists(versionFile())) {
      if (Files.exists(root.resolve("PG_VERSION"))) {
        throw new DataDirectoryException(
            "\"" + root + "\" is a PostgreSQL data directory, not a Walden one",
            "Point -D at a directory made by \"walden init\".");
      }
      throw new DataDirectoryException(
          "\""
              + root
              + "\" is not a valid data directory: file \""
              + VERSION_FILE
              + "\" is missing",
          "Run \"walden init -D DIR\" to create a data directory, or point -D at an existing one.");
    }
    String text;
    try {
      text = Files.readString(versionFile(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new DataDirectoryException(
          "could not read file \"" + versionFile() + "\": " + e.getMessage(),
          "Check the file's permissions.");
    }
    if (!text.equals(Integer.toString(FORMAT_VERSION))) {
      throw new DataDirectoryException(
          "database files are incompatible with server: the data directory was initialized by"
              + " Walden format version "
              + text
              + ", which is not compatible with this version "
              + FORMAT_VERSION,
          "Initialize a new data directory, or run a Walden release that matches it.");
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(root);
      if (perms.contains(PosixFilePermission.GROUP_WRITE)
          || perms.stream().anyMatch(p -> p.name().startsWith("OTHERS"))) {
        throw new DataDirectoryException(
            "data directory \""
                + root
                + "\" has invalid permissions "
                + PosixFilePermissions.toString(perms),
            "Permissions should be u=rwx (0700) or u=rwx,g=rx (0750): chmod 0700 " + root);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: nothing to check
    }
    if (!Files.isWritable(root) || !Files.isWritable(wal())) {
      throw new DataDirectoryException(
          "data directory \"" + root + "\" is not writable by this user",
          "Run walden as the directory's owner, or fix its permissions.");
    }
  }
}
