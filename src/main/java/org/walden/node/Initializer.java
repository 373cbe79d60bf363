package org.walden.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.walden.fs.DurableFiles;
import org.walden.storage.checkpoint.CheckpointSettings;
import org.walden.storage.checkpoint.Checkpointer;
import org.walden.storage.control.ControlData;
import org.walden.storage.control.ControlFileStore;
import org.walden.storage.control.DbState;
import org.walden.storage.control.SystemIdentifier;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.TransactionManager;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalIdentity;
import org.walden.wal.WalRetention;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalWriter;

/**
 * {@code walden init} (PostgreSQL's initdb): lays out a new data directory, chooses the system
 * identifier, creates the superuser, and writes the first (shutdown) checkpoint, so that the first
 * start finds a control file, a snapshot and WAL exactly as after a clean shutdown.
 *
 * <p>The version file is written last: a directory without it is not a data directory, so an init
 * that dies half-way is refused by {@code start} and can simply be removed and redone.
 */
final class Initializer {

  private Initializer() {}

  static void init(InitOptions o, DurableFiles durable, Clock clock)
      throws IOException, StartupException {
    DataDirectory dir = new DataDirectory(o.dataDir());
    Path root = dir.root();
    if (Files.exists(root)) {
      if (!Files.isDirectory(root)) {
        throw new StartupException(
            "\"" + root + "\" exists but is not a directory",
            "Choose another path for the data directory.");
      }
      try (Stream<Path> s = Files.list(root)) {
        if (s.findAny().isPresent()) {
          throw new StartupException(
              "directory \"" + root + "\" exists but is not empty",
              "If you want to create a new database system, either remove or empty the directory"
                  + " \""
                  + root
                  + "\" or run walden init with an argument other than \""
                  + root
                  + "\".");
        }
      }
    }
    if (!o.auth().equals("trust") && !o.auth().equals("scram-sha-256") && !o.auth().equals("md5")) {
      throw new StartupException(
          "invalid authentication method \"" + o.auth() + "\"", "Use trust, scram-sha-256 or md5.");
    }
    if (!o.auth().equals("trust") && (o.password() == null || o.password().isEmpty())) {
      throw new StartupException(
          "must specify a password for the superuser to enable " + o.auth() + " authentication",
          "Give one with --pwfile FILE.");
    }
    Node.mkdir700(root);
    for (Path p :
        new Path[] {dir.global(), dir.wal(), dir.archiveStatus(), dir.base(), dir.replslot()}) {
      Node.mkdir700(p);
    }
    durable.atomicReplace(dir.conf(), DefaultFiles.waldenConf().getBytes(StandardCharsets.UTF_8));
    durable.atomicReplace(
        dir.hba(), DefaultFiles.hbaConf(o.auth()).getBytes(StandardCharsets.UTF_8));
    durable.atomicReplace(
        dir.autoConf(), DefaultFiles.autoConfHeader().getBytes(StandardCharsets.UTF_8));

    SystemIdentifier sysid =
        SystemIdentifier.generate(clock.instant(), ProcessHandle.current().pid());
    WalIdentity identity = new WalIdentity(sysid.value(), o.segmentSize());
    WalSegmentFiles segments = new WalSegmentFiles(dir.wal(), o.segmentSize(), durable);
    // As PostgreSQL: WAL begins in segment 1, so no valid position is ever 0/0.
    Lsn start = o.segmentSize().startOf(1);
    ControlStore control =
        new ControlStore(
            new ControlFileStore(root, durable),
            ControlData.initial(sysid, o.segmentSize(), start, clock.instant()),
            clock);
    try (WalWriter wal =
        WalWriter.open(
            identity,
            segments,
            TimelineId.FIRST,
            start,
            Lsn.INVALID,
            WalWriter.DEFAULT_RING_BYTES,
            java.time.Duration.ofMillis(200))) {
      wal.start();
      TransactionManager store = TransactionManager.createEmpty(wal, start);
      Transaction t = store.begin(IsolationLevel.READ_COMMITTED, 0);
      String verifier =
          o.password() == null || o.password().isEmpty()
              ? null
              : org.walden.wire.auth.ScramSha256.buildVerifier(o.password()).toString();
      t.createRole(o.superuser(), true, true, true, verifier);
      t.commit(SynchronousCommit.ON);
      Checkpointer ckpt =
          new Checkpointer(
              new StoreSnapshots(store, durable),
              wal,
              segments,
              new WalRetention(),
              dir.base(),
              () ->
                  new CheckpointSettings(java.time.Duration.ofMinutes(5), 1L << 30, 80L << 20, 0.9),
              (at, rec, shutdown) -> control.checkpointed(at, rec.redo(), rec.snapshotFile()),
              clock,
              start,
              null);
      ckpt.shutdownCheckpoint();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("could not write the initial checkpoint: " + e.getMessage(), e);
    }
    durable.atomicReplace(
        dir.versionFile(), (DataDirectory.FORMAT_VERSION + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The control file during init. Single-threaded. */
  private static final class ControlStore {
    private final ControlFileStore store;
    private ControlData data;
    private final Clock clock;

    ControlStore(ControlFileStore store, ControlData data, Clock clock) {
      this.store = store;
      this.data = data;
      this.clock = clock;
    }

    void checkpointed(Lsn at, Lsn redo, String snapshot) throws IOException {
      data =
          data.withCheckpoint(at, redo, TimelineId.FIRST, snapshot, clock.instant())
              .withState(DbState.SHUT_DOWN, clock.instant());
      store.write(data);
    }
  }
}
