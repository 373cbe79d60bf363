package org.walden.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.walden.config.AutoConfFile;
import org.walden.config.ConfigException;
import org.walden.config.Settings;
import org.walden.fs.DurableFiles;
import org.walden.replication.WalSenderRow;
import org.walden.replication.WalSenderServices;
import org.walden.replication.archive.Archiver;
import org.walden.replication.archive.ArchiverStats;
import org.walden.replication.receiver.WalReceiverStatus;
import org.walden.replication.slot.ReplicationSlot;
import org.walden.replication.slot.ReplicationSlots;
import org.walden.replication.slot.SlotException;
import org.walden.replication.slot.SlotRetention;
import org.walden.replication.slot.SlotRow;
import org.walden.replication.syncrep.SyncRep;
import org.walden.sql.exec.ArchiverStatRow;
import org.walden.sql.exec.ReplicationSlotStatRow;
import org.walden.sql.exec.ReplicationStatRow;
import org.walden.sql.exec.ServerStatus;
import org.walden.sql.exec.SqlException;
import org.walden.sql.exec.SyncRepStatRow;
import org.walden.sql.exec.WalReceiverStatRow;
import org.walden.storage.txn.TransactionManager;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;
import org.walden.wal.WalWriter;
import org.walden.wal.Xid;

/**
 * The node's answers to the SQL layer's {@link ServerStatus}: its WAL positions, {@code
 * pg_switch_wal()}, {@code pg_reload_conf()}, {@code ALTER SYSTEM}, and the rows of {@code
 * pg_stat_replication} (the walsender table), {@code pg_stat_wal_receiver} (a standby's
 * walreceiver, while it runs) and {@code pg_stat_archiver}; on a standby, the received and replayed
 * positions and the last replayed commit's time.
 *
 * <p>Thread-safe: the WAL writer and store publish their positions for any thread, {@link
 * AutoConfFile} serializes edits, and {@link Node#reload} replaces the configuration atomically.
 */
final class NodeServerStatus implements ServerStatus {
  private final Node node;
  private final TransactionManager store;
  private final AutoConfFile autoConf;

  NodeServerStatus(Node node, TransactionManager store, DurableFiles durable) {
    this.node = node;
    this.store = store;
    this.autoConf = new AutoConfFile(node.dataDirectory().autoConf(), durable);
  }

  /** The node's WAL writer now: null on a standby, set by a promotion. */
  private WalWriter wal() {
    return node.wal();
  }

  private Optional<Lsn> unlessRecovering(java.util.function.Function<WalWriter, Lsn> l) {
    WalWriter w = wal();
    return store.isInRecovery() || w == null ? Optional.empty() : Optional.of(l.apply(w));
  }

  @Override
  public Optional<Lsn> lastReceiveLsn() {
    return node.lastReceivedLsn();
  }

  @Override
  public Optional<Lsn> lastReplayLsn() {
    return node.lastReplayedLsn();
  }

  @Override
  public boolean isWalReplayPaused() {
    return node.replayPause()
        .map(p -> p.state() == org.walden.recovery.RecoveryPause.State.PAUSED)
        .orElse(false);
  }

  @Override
  public String walReplayPauseState() {
    return node.replayPause()
        .map(p -> p.state().text())
        .orElse(org.walden.recovery.RecoveryPause.State.NOT_PAUSED.text());
  }

  @Override
  public void pauseWalReplay() {
    node.replayPause().ifPresent(org.walden.recovery.RecoveryPause::requestPause);
  }

  @Override
  public void resumeWalReplay() {
    node.replayPause().ifPresent(org.walden.recovery.RecoveryPause::resume);
  }

  @Override
  public Lsn createRestorePoint(String name) {
    long now = PgTimestamp.of(Instant.now()).micros();
    WalWriter w = wal();
    if (w == null) {
      throw new SqlException(
          "55000",
          "recovery is in progress",
          null,
          "WAL control functions cannot be executed during recovery.",
          0);
    }
    Lsn end =
        w.insert(
                RecordKind.RESTORE_POINT,
                Xid.INVALID,
                new org.walden.recovery.RecoveryTarget.RestorePoint(now, name).encode())
            .end();
    org.slf4j.LoggerFactory.getLogger(NodeServerStatus.class)
        .info("restore point \"{}\" created at {}", name, end);
    return end;
  }

  @Override
  public Optional<Instant> lastReplayedCommitTime() {
    return node.lastReplayedCommitMicros().map(us -> new PgTimestamp(us).toInstant());
  }

  @Override
  public List<org.walden.sql.exec.BaseBackupProgressRow> baseBackupProgress() {
    WalSenderServices w = node.walSenders();
    if (w == null || w.backups() == null) {
      return List.of();
    }
    return w.backups().progress().rows().stream()
        .map(r ->
            new org.walden.sql.exec.BaseBackupProgressRow(
                r.pid(),
                r.phase(),
                r.backupTotal() < 0 ? null : r.backupTotal(),
                r.backupStreamed(),
                r.tablespacesTotal(),
                r.tablespacesStreamed()))
        .toList();
  }

  @Override
  public List<ReplicationStatRow> replication() {
    WalSenderServices w = node.walSenders();
    if (w == null) {
      return List.of();
    }
    List<ReplicationStatRow> rows = new ArrayList<>();
    for (WalSenderRow r : w.table().snapshot()) {
      rows.add(
          new ReplicationStatRow(
              r.pid(),
              r.usesysid(),
              r.usename(),
              r.applicationName(),
              r.clientAddr().orElse(null),
              null,
              r.clientPort().orElse(null),
              r.backendStart(),
              r.backendXmin().map(Xid::value).orElse(null),
              r.state().viewName(),
              r.sentLsn().orElse(null),
              r.writeLsn().orElse(null),
              r.flushLsn().orElse(null),
              r.replayLsn().orElse(null),
              r.writeLag().orElse(null),
              r.flushLag().orElse(null),
              r.replayLag().orElse(null),
              r.syncPriority(),
              r.syncState(),
              r.replyTime().orElse(null)));
    }
    return rows;
  }

  @Override
  public Optional<WalReceiverStatRow> walReceiver() {
    Optional<WalReceiverStatus> st = node.walReceiverStatus();
    if (st.isEmpty() || st.get().state() == WalReceiverStatus.State.STOPPED) {
      return Optional.empty(); // PostgreSQL shows a row only while a walreceiver runs
    }
    WalReceiverStatus r = st.get();
    return Optional.of(
        new WalReceiverStatRow(
            r.pid(),
            r.state().viewName(),
            r.receiveStartLsn(),
            r.receiveStartTli().map(TimelineId::value).orElse(null),
            r.writtenLsn(),
            r.flushedLsn(),
            r.receivedTli().map(TimelineId::value).orElse(null),
            r.lastMsgSendTime().orElse(null),
            r.lastMsgReceiptTime().orElse(null),
            r.latestEndLsn(),
            r.latestEndTime().orElse(null),
            r.slotName().orElse(null),
            r.senderHost().orElse(null),
            r.senderPort().orElse(null),
            r.conninfo().orElse(null)));
  }

  @Override
  public List<ReplicationSlotStatRow> replicationSlots() {
    ReplicationSlots slots = node.slots();
    if (slots == null) {
      return List.of();
    }
    Optional<SlotRetention> availability = node.slotRetention();
    List<ReplicationSlotStatRow> rows = new ArrayList<>();
    for (SlotRow r : slots.rows()) {
      SlotRetention.Availability a =
          availability
              .map(x -> x.availability(r))
              .orElse(
                  r.restartLsn().isValid()
                      ? new SlotRetention.Availability("reserved", null)
                      : new SlotRetention.Availability(r.lost() ? "lost" : null, null));
      rows.add(
          new ReplicationSlotStatRow(
              r.name(),
              r.temporary(),
              r.active(),
              r.active() ? r.activePid() : null,
              r.xmin().isValid() ? r.xmin().value() : null,
              r.restartLsn().isValid() ? r.restartLsn() : null,
              a.walStatus(),
              a.safeWalSize()));
    }
    return rows;
  }

  @Override
  public Optional<Lsn> createPhysicalReplicationSlot(
      String name, boolean reserve, boolean temporary, int pid) {
    ReplicationSlots slots = requireSlots();
    try {
      ReplicationSlot s =
          slots.create(
              name,
              temporary,
              pid,
              reserve ? Optional.of(() -> node.controlData().redoLsn()) : Optional.empty());
      return slots.row(s.name()).map(SlotRow::restartLsn).filter(Lsn::isValid);
    } catch (SlotException e) {
      throw toSql(e);
    } catch (IOException e) {
      throw new SqlException("58030", "could not write replication slot state: " + e.getMessage());
    }
  }

  @Override
  public void dropReplicationSlot(String name, int pid) {
    try {
      requireSlots().drop(name, false, pid);
    } catch (SlotException e) {
      throw toSql(e);
    } catch (IOException e) {
      throw new SqlException("58030", "could not remove replication slot: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SqlException("57014", "canceling statement due to user request");
    }
  }

  @Override
  public Lsn advanceReplicationSlot(String name, Lsn target, int pid) {
    WalWriter w = node.wal();
    Lsn limit = w != null ? w.flushedUpto() : node.lastReplayedLsn().orElse(Lsn.INVALID);
    try {
      return requireSlots().advance(name, target, limit, pid);
    } catch (SlotException e) {
      throw toSql(e);
    } catch (IOException e) {
      throw new SqlException("58030", "could not write replication slot state: " + e.getMessage());
    }
  }

  @Override
  public void sessionEnded(int pid) {
    ReplicationSlots slots = node.slots();
    if (slots != null) {
      slots.connectionEnded(pid);
    }
  }

  private ReplicationSlots requireSlots() {
    ReplicationSlots slots = node.slots();
    if (slots == null) {
      throw new SqlException("55000", "replication slots are not available yet");
    }
    return slots;
  }

  private static SqlException toSql(SlotException e) {
    return new SqlException(e.sqlState(), e.getMessage(), e.detail(), e.hint(), 0);
  }

  @Override
  public ArchiverStatRow archiver() {
    Optional<Archiver> a = node.archiver();
    if (a.isEmpty()) {
      return ArchiverStatRow.NOTHING_ARCHIVED;
    }
    ArchiverStats.Row r = a.get().stats().row();
    return new ArchiverStatRow(
        r.archivedCount(),
        r.lastArchivedWal(),
        r.lastArchivedTime(),
        r.failedCount(),
        r.lastFailedWal(),
        r.lastFailedTime(),
        r.statsReset());
  }

  @Override
  public Optional<Lsn> currentWriteLsn() {
    return unlessRecovering(WalWriter::writtenUpto);
  }

  @Override
  public Optional<Lsn> currentFlushLsn() {
    return unlessRecovering(WalWriter::flushedUpto);
  }

  @Override
  public Optional<Lsn> currentInsertLsn() {
    return unlessRecovering(WalWriter::insertPosition);
  }

  @Override
  public TimelineId timeline() {
    return node.currentTimeline();
  }

  @Override
  public WalSegmentSize segmentSize() {
    return node.identity().segmentSize();
  }

  /**
   * Inserts a SWITCH record (the writer then continues at the next segment) and returns its end.
   * When nothing was written since the last switch, the write position already sits at a segment
   * start with nothing inserted beyond it: that start is returned and nothing is inserted, as
   * PostgreSQL does. (Racing another inserter at that moment only means one more switch.)
   */
  @Override
  public Lsn switchWal() {
    WalWriter wal = wal();
    Lsn written = wal.writtenUpto();
    if (segmentSize().offsetInSegment(written) == 0 && !wal.insertPosition().isAfter(written)) {
      return written;
    }
    return wal.insert(RecordKind.SWITCH, Xid.INVALID, ByteBuffer.allocate(0)).end();
  }

  @Override
  public boolean cancelBackend(int pid) {
    return node.signalBackend(pid, false);
  }

  @Override
  public boolean terminateBackend(int pid) {
    return node.signalBackend(pid, true);
  }

  @Override
  public Optional<SyncRepStatRow> syncRep() {
    WalSenderServices w = node.walSenders();
    if (w == null || node.transactions().isInRecovery()) {
      return Optional.empty();
    }
    SyncRep r = w.table().syncRep();
    SyncRep.Stats st = r.stats();
    return Optional.of(
        new SyncRepStatRow(
            node.config().get(Settings.SYNCHRONOUS_STANDBY_NAMES),
            st.waiting(),
            st.waits(),
            st.released(),
            st.canceled(),
            st.terminated(),
            st.timedOut(),
            r.released(SyncRep.WaitMode.WRITE),
            r.released(SyncRep.WaitMode.FLUSH),
            r.released(SyncRep.WaitMode.APPLY)));
  }

  @Override
  public boolean promote(boolean wait, int waitSeconds) {
    try {
      return node.promote(wait, java.time.Duration.ofSeconds(waitSeconds));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SqlException("57014", "canceling statement due to user request");
    }
  }

  /** Reloads before returning (PostgreSQL only signals the postmaster). */
  @Override
  public boolean reloadConf() {
    node.reload();
    return true;
  }

  @Override
  public void alterSystemSet(String name, String value) {
    edit(() -> autoConf.set(name, value));
  }

  @Override
  public void alterSystemReset(String name) {
    edit(() -> autoConf.reset(name));
  }

  @Override
  public void alterSystemResetAll() {
    edit(autoConf::resetAll);
  }

  private interface Edit {
    void run() throws ConfigException, IOException;
  }

  private void edit(Edit e) {
    try {
      e.run();
    } catch (ConfigException ce) {
      throw new SqlException(ce.sqlState(), ce.getMessage(), ce.detail(), ce.hint(), 0);
    } catch (IOException io) {
      throw new SqlException(
          "58030",
          "could not write file \"" + autoConf.file().getFileName() + "\": " + io.getMessage());
    }
  }
}
