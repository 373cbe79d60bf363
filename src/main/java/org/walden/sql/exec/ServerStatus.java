package org.walden.sql.exec;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;

/**
 * What the SQL layer asks of the server for replication monitoring and control: the WAL positions
 * behind {@code pg_current_wal_lsn()} and friends, {@code pg_switch_wal()}, {@code
 * pg_reload_conf()}, {@code ALTER SYSTEM}, and the rows of {@code pg_stat_replication}, {@code
 * pg_stat_wal_receiver} and {@code pg_stat_archiver}. PostgreSQL's xlogfuncs.c, walsender and
 * walreceiver shared memory, and the archiver's stats, as one seam.
 *
 * <p>Implemented by the node, which owns the WAL writer, walsenders, walreceiver, archiver and
 * configuration; one instance per server, shared by every session. {@link #NONE} knows nothing: no
 * WAL positions, empty views, and the control calls refused with 0A000, so a server without a node
 * (tests, embedded use) still answers the queries.
 *
 * <p><b>Threads.</b> Every method is called on a session's thread, concurrently from many sessions,
 * while that session runs a statement; implementations must be thread-safe and should not block for
 * long (the views are read per query). Each call returns a consistent snapshot of what it reports,
 * but two calls need not be consistent with each other.
 *
 * <p><b>Recovery.</b> The SQL layer checks {@code store().isInRecovery()} itself and raises
 * PostgreSQL's errors (55000 "recovery is in progress") before calling the WAL-control methods; an
 * implementation may still answer {@link Optional#empty()} for a position it does not have (e.g. a
 * promotion under way), which reads as the same error.
 *
 * <p><b>Errors.</b> Methods report client errors as {@link SqlException} (with PostgreSQL's
 * SQLSTATE, message, detail and hint), which the session sends as an ErrorResponse.
 */
public interface ServerStatus {

  /** The stub: nothing known. */
  ServerStatus NONE = new ServerStatus() {};

  /** {@code pg_current_wal_lsn()}: WAL written (handed to the OS) up to here. */
  default Optional<Lsn> currentWriteLsn() {
    return Optional.empty();
  }

  /** {@code pg_current_wal_flush_lsn()}: WAL durably flushed up to here. */
  default Optional<Lsn> currentFlushLsn() {
    return Optional.empty();
  }

  /** {@code pg_current_wal_insert_lsn()}: end of the last inserted WAL record. */
  default Optional<Lsn> currentInsertLsn() {
    return Optional.empty();
  }

  /**
   * {@code pg_last_wal_receive_lsn()}: WAL received and flushed by the walreceiver, or empty if
   * none was ever received (always, on a server that never was a standby).
   */
  default Optional<Lsn> lastReceiveLsn() {
    return Optional.empty();
  }

  /** {@code pg_last_wal_replay_lsn()}: end of the last replayed record; empty if none. */
  default Optional<Lsn> lastReplayLsn() {
    return Optional.empty();
  }

  /** {@code pg_last_xact_replay_timestamp()}: commit time of the last replayed transaction. */
  default Optional<Instant> lastReplayedCommitTime() {
    return Optional.empty();
  }

  /** {@code pg_is_wal_replay_paused()}, asked only during recovery. */
  default boolean isWalReplayPaused() {
    return false;
  }

  /**
   * {@code pg_get_wal_replay_pause_state()}, asked only during recovery: "not paused", "pause
   * requested" or "paused".
   */
  default String walReplayPauseState() {
    return isWalReplayPaused() ? "paused" : "not paused";
  }

  /** {@code pg_wal_replay_pause()}, called only during recovery. */
  default void pauseWalReplay() {
    throw Errors.unsupported("pg_wal_replay_pause() in this server");
  }

  /** {@code pg_wal_replay_resume()}, called only during recovery. */
  default void resumeWalReplay() {
    throw Errors.unsupported("pg_wal_replay_resume() in this server");
  }

  /**
   * {@code pg_create_restore_point(name)}: writes a restore point record and returns its end. Not
   * called during recovery.
   */
  default Lsn createRestorePoint(String name) {
    throw Errors.unsupported("pg_create_restore_point() in this server");
  }

  /** The timeline WAL is inserted on, for {@code pg_walfile_name()}. */
  default TimelineId timeline() {
    return TimelineId.FIRST;
  }

  /** The WAL segment size, for {@code pg_walfile_name()}. */
  default WalSegmentSize segmentSize() {
    return WalSegmentSize.DEFAULT;
  }

  /**
   * {@code pg_switch_wal()}: ends the current segment and returns the end of the switch record, or
   * the current segment's start if nothing was written since the last switch. Not called during
   * recovery.
   */
  default Lsn switchWal() {
    throw Errors.unsupported("pg_switch_wal() in this server");
  }

  /**
   * {@code pg_promote()}: asks a standby to end recovery and become a primary. With {@code wait},
   * blocks up to {@code waitSeconds} and returns whether it has; without, returns true once the
   * request is made.
   */
  default boolean promote(boolean wait, int waitSeconds) {
    throw Errors.unsupported("pg_promote() in this server");
  }

  /**
   * {@code pg_reload_conf()}: asks the server to re-read its configuration files (asynchronously in
   * PostgreSQL; an implementation may reload before returning). False if the request could not be
   * made.
   */
  default boolean reloadConf() {
    return false;
  }

  /** {@code pg_cancel_backend(pid)}: cancels that backend's running query; false if none. */
  default boolean cancelBackend(int pid) {
    return false;
  }

  /** {@code pg_terminate_backend(pid)}: asks that backend to end its connection; false if none. */
  default boolean terminateBackend(int pid) {
    return false;
  }

  /** The synchronous replication counters for {@code walden_stat_syncrep}; empty: none here. */
  default Optional<SyncRepStatRow> syncRep() {
    return Optional.empty();
  }

  /**
   * {@code ALTER SYSTEM SET name = value}: validates and writes {@code postgresql.auto.conf}
   * durably; takes effect at the next reload. Errors: 42704 unknown parameter, 22023 invalid value,
   * 55P02 cannot be changed.
   */
  default void alterSystemSet(String name, String value) {
    throw Errors.unsupported("ALTER SYSTEM in this server");
  }

  /** {@code ALTER SYSTEM RESET name} (and {@code SET name TO DEFAULT}): removes the entry. */
  default void alterSystemReset(String name) {
    throw Errors.unsupported("ALTER SYSTEM in this server");
  }

  /** {@code ALTER SYSTEM RESET ALL}: empties {@code postgresql.auto.conf}. */
  default void alterSystemResetAll() {
    throw Errors.unsupported("ALTER SYSTEM in this server");
  }

  /** The rows of {@code pg_stat_replication}: one per walsender. */
  default List<ReplicationStatRow> replication() {
    return List.of();
  }

  /** The row of {@code pg_stat_wal_receiver}: present only while a walreceiver runs. */
  default Optional<WalReceiverStatRow> walReceiver() {
    return Optional.empty();
  }

  /** The rows of {@code pg_replication_slots}. */
  default List<ReplicationSlotStatRow> replicationSlots() {
    return List.of();
  }

  /**
   * {@code pg_create_physical_replication_slot}: creates the slot (a temporary one belongs to the
   * session {@code pid} and goes when it ends); returns the reserved position, empty if none.
   * Errors as the replication command (42710, 42602, 42622, 53400).
   */
  default Optional<Lsn> createPhysicalReplicationSlot(
      String name, boolean reserve, boolean temporary, int pid) {
    throw Errors.unsupported("replication slots in this server");
  }

  /** {@code pg_drop_replication_slot}: 42704 missing, 55006 active. */
  default void dropReplicationSlot(String name, int pid) {
    throw Errors.unsupported("replication slots in this server");
  }

  /**
   * {@code pg_replication_slot_advance}: moves restart_lsn forward to {@code target} (capped at the
   * flush position; never back); returns the new restart_lsn.
   */
  default Lsn advanceReplicationSlot(String name, Lsn target, int pid) {
    throw Errors.unsupported("replication slots in this server");
  }

  /** The session {@code pid} ended (its temporary slots go). */
  default void sessionEnded(int pid) {}

  /** The rows of {@code pg_stat_progress_basebackup}: one per running base backup. */
  default List<BaseBackupProgressRow> baseBackupProgress() {
    return List.of();
  }

  /** The row of {@code pg_stat_archiver} (there is always one). */
  default ArchiverStatRow archiver() {
    return ArchiverStatRow.NOTHING_ARCHIVED;
  }
}
