package org.walden.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.walden.config.AutoConfFile;
import org.walden.config.ConfigException;
import org.walden.fs.DurableFiles;
import org.walden.sql.exec.ServerStatus;
import org.walden.sql.exec.SqlException;
import org.walden.storage.txn.TransactionManager;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;
import org.walden.wal.WalWriter;
import org.walden.wal.Xid;

/**
 * The node's answers to the SQL layer's {@link ServerStatus}, for what a lone primary knows: its
 * WAL positions, {@code pg_switch_wal()}, {@code pg_reload_conf()} and {@code ALTER SYSTEM}. The
 * walsender, walreceiver, recovery and archiver rows are not wired yet and read as the defaults (no
 * rows, nothing received or replayed, nothing archived); replication integration overrides those
 * methods here.
 *
 * <p>Thread-safe: the WAL writer and store publish their positions for any thread, {@link
 * AutoConfFile} serializes edits, and {@link Node#reload} replaces the configuration atomically.
 */
final class NodeServerStatus implements ServerStatus {
  private final Node node;
  private final WalWriter wal;
  private final TransactionManager store;
  private final AutoConfFile autoConf;

  NodeServerStatus(Node node, WalWriter wal, TransactionManager store, DurableFiles durable) {
    this.node = node;
    this.wal = wal;
    this.store = store;
    this.autoConf = new AutoConfFile(node.dataDirectory().autoConf(), durable);
  }

  private Optional<Lsn> unlessRecovering(Lsn l) {
    return store.isInRecovery() ? Optional.empty() : Optional.of(l);
  }

  @Override
  public Optional<Lsn> currentWriteLsn() {
    return unlessRecovering(wal.writtenUpto());
  }

  @Override
  public Optional<Lsn> currentFlushLsn() {
    return unlessRecovering(wal.flushedUpto());
  }

  @Override
  public Optional<Lsn> currentInsertLsn() {
    return unlessRecovering(wal.insertPosition());
  }

  @Override
  public TimelineId timeline() {
    return wal.timeline();
  }

  @Override
  public WalSegmentSize segmentSize() {
    return wal.identity().segmentSize();
  }

  /**
   * Inserts a SWITCH record (the writer then continues at the next segment) and returns its end.
   * When nothing was written since the last switch, the write position already sits at a segment
   * start with nothing inserted beyond it: that start is returned and nothing is inserted, as
   * PostgreSQL does. (Racing another inserter at that moment only means one more switch.)
   */
  @Override
  public Lsn switchWal() {
    Lsn written = wal.writtenUpto();
    if (segmentSize().offsetInSegment(written) == 0 && !wal.insertPosition().isAfter(written)) {
      return written;
    }
    return wal.insert(RecordKind.SWITCH, Xid.INVALID, ByteBuffer.allocate(0)).end();
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
