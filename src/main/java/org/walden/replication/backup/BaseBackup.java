package org.walden.replication.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.replication.WalSenderEntry;
import org.walden.replication.WalSenderState;
import org.walden.replication.backup.BackupProgressTable.Phase;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentSize;

/**
 * Runs one BASE_BACKUP (PostgreSQL's {@code perform_base_backup}) on the replication session's
 * thread, from start to the end position; see the package documentation for why the copy is
 * consistent. Each run registers its own WAL-retention holder and snapshot hold, so concurrent
 * backups are independent; both are released on every exit path.
 */
public final class BaseBackup {

  private static final Logger log = LoggerFactory.getLogger(BaseBackup.class);

  private static final AtomicLong IDS = new AtomicLong();

  /** Files at the top level PostgreSQL leaves out of every backup (basebackup.c excludeFiles). */
  private static final Set<String> EXCLUDED_FILES =
      Set.of(
          "postmaster.pid",
          "postmaster.opts",
          BackupLabel.FILE_NAME,
          BackupLabel.OLD_FILE_NAME,
          "tablespace_map",
          "backup_manifest",
          "postgresql.auto.conf.tmp");

  /** Directories copied empty (their content belongs to the running server only). */
  private static final Set<String> EMPTY_DIRS = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp");

  static final String CONTROL_FILE = "global/control";

  private static final int CHUNK = 32 * 1024;

  private final BaseBackupSource source;

  public BaseBackup(BaseBackupSource source) {
    this.source = source;
  }

  /** One entry of the archive's file list, found before streaming starts. */
  private record Member(String name, Path path, boolean directory, long size, Instant modified) {}

  /**
   * Runs the backup and writes it to {@code out}.
   *
   * @param entry the walsender's entry: state {@code backup} while this runs
   */
  public void run(BackupOptions options, BackupOutput out, WalSenderEntry entry, int pid)
      throws BaseBackupException, IOException, InterruptedException {
    if (source.inRecovery()) {
      throw new BaseBackupException(
          "0A000", "base backups of a standby are not supported by this server yet");
    }
    long id = IDS.incrementAndGet();
    String holderName = "base backup " + id;
    AtomicReference<Lsn> needed = new AtomicReference<>(source.lastRedo());
    BackupProgressTable.Progress progress = source.progress().start(pid);
    WalSenderState before = entry.state();
    entry.setState(WalSenderState.BACKUP);
    // registered before the checkpoint is requested: the last redo point is before the new one,
    // so no WAL the backup will need can be removed in between
    source.retention().register(holderName, () -> Optional.of(needed.get()));
    try (AutoCloseable snapshots = source.holdSnapshots()) {
      progress.phase(Phase.WAITING_FOR_CHECKPOINT);
      BaseBackupSource.Checkpoint ckpt = source.checkpoint(options.fastCheckpoint());
      needed.set(ckpt.redo());
      Lsn start = ckpt.redo();
      TimelineId tli = source.timeline();
      Instant startTime = source.clock().instant();
      log.info(
          "base backup \"{}\" started: WAL from {}, checkpoint {}",
          options.label(),
          start,
          ckpt.at());
      out.startPosition(start, tli);

      progress.phase(Phase.ESTIMATING);
      WalSegmentSize segSize = source.segments().segmentSize();
      byte[] label =
          new BackupLabel(start, ckpt.at(), tli, startTime, options.label(), false).bytes(segSize);
      List<Member> members = scan(source.dataDirectory(), ckpt.snapshotFile());
      long total = label.length;
      for (Member m : members) {
        total += m.size();
      }
      Path control = source.dataDirectory().resolve(CONTROL_FILE);
      total += Files.size(control);
      if (options.progress()) {
        progress.total(total);
      }
      out.tablespaces(options.progress() ? OptionalLong.of(total / 1024) : OptionalLong.empty());

      progress.phase(Phase.STREAMING);
      out.beginCopy();
      byte[] newArchive = "nbase.tar\0\0".getBytes(StandardCharsets.US_ASCII);
      out.copyData(newArchive, 0, newArchive.length);
      CopySink sink = new CopySink(out, options.maxRateKbPerSecond(), progress, entry);
      TarWriter tar = new TarWriter(sink);
      BackupManifest manifest =
          options.manifest() == BackupOptions.ManifestOption.NO
              ? null
              : new BackupManifest(options.manifest() == BackupOptions.ManifestOption.FORCE_ENCODE);
      ManifestChecksum algo = options.checksum();

      sendBytes(tar, manifest, algo, BackupLabel.FILE_NAME, label, startTime);
      if (options.tablespaceMap()) {
        sendBytes(tar, manifest, algo, "tablespace_map", new byte[0], startTime);
      }
      for (Member m : members) {
        if (m.directory()) {
          tar.directory(m.name(), m.modified().getEpochSecond());
        } else {
          sendFile(tar, manifest, algo, m);
        }
      }
      // the control file last (PostgreSQL's order): recovery takes the checkpoint from the
      // label, and the control file only for the system's identity and settings
      byte[] controlBytes = Files.readAllBytes(control);
      sendBytes(
          tar,
          manifest,
          algo,
          CONTROL_FILE,
          controlBytes,
          Files.getLastModifiedTime(control).toInstant());

      Lsn end = source.writeBackupEnd(start);
      if (options.includeWal()) {
        progress.phase(Phase.TRANSFERRING_WAL);
        sendWal(tar, source.segments(), tli, start, end);
      }
      tar.finish();
      sink.flushChunk();
      sink.reportProgress();
      progress.tablespaceDone();
      if (manifest != null) {
        byte[] m = manifest.finish(tli, start, end);
        out.copyData(new byte[] {'m'}, 0, 1);
        CopySink msink = new CopySink(out, options.maxRateKbPerSecond(), null, entry);
        msink.write(m, 0, m.length);
        msink.flushChunk();
      }
      out.endCopy();
      out.endPosition(end, tli);
      log.info("base backup \"{}\" completed: WAL {} to {}", options.label(), start, end);
    } catch (ShutdownDuringBackup e) {
      throw new BaseBackupException(
          "57P01", "terminating connection due to administrator command", e);
    } catch (BaseBackupException | IOException | InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // only the snapshot hold's close, which does not fail
      throw new IllegalStateException(e);
    } finally {
      source.retention().unregister(holderName);
      source.progress().end(progress);
      entry.setState(before);
    }
  }

  /**
   * The data directory's members in archive order: every directory before what it holds, sorted
   * names for a stable order. Leaves out what PostgreSQL leaves out, the content of pg_wal and
   * pg_replslot, snapshots other than the backup's checkpoint's, temporary files, and the control
   * file (sent last, separately).
   */
  static List<Member> scan(Path root, String snapshotFile) throws IOException {
    List<Member> out = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
            if (d.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            String rel = relative(root, d);
            out.add(new Member(rel, d, true, 0, a.lastModifiedTime().toInstant()));
            if (rel.equals("pg_wal")) {
              out.add(
                  new Member(
                      "pg_wal/archive_status",
                      d.resolve(WalSegmentFiles.ARCHIVE_STATUS_DIR),
                      true,
                      0,
                      a.lastModifiedTime().toInstant()));
              return FileVisitResult.SKIP_SUBTREE;
            }
            return EMPTY_DIRS.contains(rel)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
            String rel = relative(root, f);
            String name = f.getFileName().toString();
            if (!a.isRegularFile()
                || EXCLUDED_FILES.contains(rel)
                || rel.equals(CONTROL_FILE)
                || name.endsWith(".tmp")
                || name.startsWith("pgsql_tmp")
                || (rel.startsWith("base/") && !rel.equals("base/" + snapshotFile))) {
              return FileVisitResult.CONTINUE;
            }
            out.add(new Member(rel, f, false, a.size(), a.lastModifiedTime().toInstant()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // removed while we looked (temp files)
            }
            throw e;
          }
        });
    out.sort((x, y) -> {
      // directories before their contents: compare path components, not raw strings
      String[] a = x.name().split("/");
      String[] b = y.name().split("/");
      for (int i = 0; i < Math.min(a.length, b.length); i++) {
        int c = a[i].compareTo(b[i]);
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.length, b.length);
    });
    return out;
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  private static void sendBytes(
      TarWriter tar,
      BackupManifest manifest,
      ManifestChecksum algo,
      String name,
      byte[] content,
      Instant modified)
      throws IOException {
    tar.file(name, content, modified.getEpochSecond());
    if (manifest != null) {
      ManifestChecksum.Running sum = algo.start();
      sum.update(content, 0, content.length);
      manifest.addFile(name, content.length, modified, algo, sum.finish());
    }
  }

  /**
   * Streams one file. Snapshot files are immutable once written, so the scanned size holds for
   * them; other files are small and read whole, so the header carries the size actually read.
   */
  private static void sendFile(
      TarWriter tar, BackupManifest manifest, ManifestChecksum algo, Member m) throws IOException {
    if (!m.name().startsWith("base/")) {
      byte[] content;
      try {
        content = Files.readAllBytes(m.path());
      } catch (NoSuchFileException e) {
        return; // removed since the scan (PostgreSQL skips such files too)
      }
      sendBytes(tar, manifest, algo, m.name(), content, m.modified());
      return;
    }
    ManifestChecksum.Running sum = algo.start();
    long size = m.size();
    tar.beginFile(m.name(), size, m.modified().getEpochSecond());
    try (FileChannel ch = FileChannel.open(m.path(), StandardOpenOption.READ)) {
      streamChannel(tar, sum, ch, size);
    }
    tar.endFile();
    if (manifest != null) {
      manifest.addFile(m.name(), size, m.modified(), algo, sum.finish());
    }
  }

  /** Copies exactly {@code size} bytes (zero-filled if the file is shorter). */
  private static void streamChannel(
      TarWriter tar, ManifestChecksum.Running sum, FileChannel ch, long size) throws IOException {
    byte[] buf = new byte[CHUNK];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    long done = 0;
    while (done < size) {
      int want = (int) Math.min(buf.length, size - done);
      bb.clear().limit(want);
      int n = ch.read(bb, done);
      if (n <= 0) {
        java.util.Arrays.fill(buf, 0, want, (byte) 0);
        n = want;
      }
      sum.update(buf, 0, n);
      tar.data(buf, 0, n);
      done += n;
    }
  }

  /**
   * The WAL option: every segment from the one holding {@code start} to the one holding the last
   * byte before {@code end}, and a {@code .done} status file for each (the copy must not archive
   * them again), plus timeline history files. The last segment is still being written; everything
   * before {@code end} in it is flushed, which is all a restored server reads.
   */
  private static void sendWal(
      TarWriter tar, WalSegmentFiles segments, TimelineId tli, Lsn start, Lsn end)
      throws IOException {
    WalSegmentSize size = segments.segmentSize();
    long first = size.segmentOf(start);
    long last = size.segmentOf(end.plus(-1));
    List<String> names = new ArrayList<>();
    for (long seg = first; seg <= last; seg++) {
      Path p = segments.pathOf(tli, seg);
      String name = size.name(tli, seg).fileName();
      tar.beginFile("pg_wal/" + name, size.bytes(), Files.getLastModifiedTime(p).toMillis() / 1000);
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        streamChannel(tar, ManifestChecksum.NONE.start(), ch, size.bytes());
      } catch (NoSuchFileException e) {
        throw new IOException("requested WAL segment " + name + " has already been removed", e);
      }
      tar.endFile();
      names.add(name);
    }
    try (var s = Files.list(segments.dir())) {
      for (Path h : s.filter(p -> p.getFileName().toString().endsWith(".history")).toList()) {
        tar.file(
            "pg_wal/" + h.getFileName(),
            Files.readAllBytes(h),
            Files.getLastModifiedTime(h).toMillis() / 1000);
      }
    }
    long now = System.currentTimeMillis() / 1000;
    for (String name : names) {
      tar.file("pg_wal/archive_status/" + name + ".done", new byte[0], now);
    }
  }

  /** The server began shutting down while the backup was being sent. */
  static final class ShutdownDuringBackup extends IOException {
    ShutdownDuringBackup() {
      super("the database system is shutting down");
    }
  }

  /**
   * Archive bytes → CopyData {@code d} messages of {@value #CHUNK} bytes, throttled to MAX_RATE,
   * with {@code p} progress messages about once a second.
   */
  private static final class CopySink implements TarWriter.ByteSink {
    private final BackupOutput out;
    private final long bytesPerSecond;
    private final BackupProgressTable.Progress progress;
    private final byte[] buf = new byte[1 + CHUNK];
    private int used = 1;
    private long sent;
    private final long t0 = System.nanoTime();
    private long lastProgress = System.nanoTime();

    private final WalSenderEntry entry;

    CopySink(
        BackupOutput out,
        int maxRateKb,
        BackupProgressTable.Progress progress,
        WalSenderEntry entry) {
      this.out = out;
      this.entry = entry;
      this.bytesPerSecond = maxRateKb * 1024L;
      this.progress = progress;
      buf[0] = 'd';
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, buf.length - used);
        System.arraycopy(b, off, buf, used, n);
        used += n;
        off += n;
        len -= n;
        if (used == buf.length) {
          flushChunk();
        }
      }
    }

    void flushChunk() throws IOException {
      if (used == 1) {
        return;
      }
      if (entry.stopRequested()) {
        throw new ShutdownDuringBackup();
      }
      out.copyData(buf, 0, used);
      sent += used - 1;
      used = 1;
      if (progress != null) {
        progress.streamed(sent);
        if (System.nanoTime() - lastProgress >= 1_000_000_000L) {
          reportProgress();
        }
      }
      throttle();
    }

    void reportProgress() throws IOException {
      ByteBuffer p = ByteBuffer.allocate(9).put((byte) 'p').putLong(sent);
      out.copyData(p.array(), 0, 9);
      out.flush();
      lastProgress = System.nanoTime();
    }

    /**
     * MAX_RATE: after each chunk, wait until the rate since the start is within the limit (as
     * PostgreSQL's throttle does, by a timed wait rather than by sending less).
     */
    private void throttle() throws IOException {
      if (bytesPerSecond <= 0) {
        return;
      }
      long due = t0 + (long) (sent * 1e9 / bytesPerSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        out.flush();
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("base backup interrupted");
        }
      }
    }
  }
}
