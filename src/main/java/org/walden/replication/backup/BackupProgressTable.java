package org.walden.replication.backup;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running base backups of one node, as {@code pg_stat_progress_basebackup} shows them. Each
 * backup adds its {@link Progress} when it starts and removes it when it ends (also on failure);
 * the backup's thread writes the progress fields, any session reads them. Thread-safe.
 */
public final class BackupProgressTable {

  /** PostgreSQL 15's phase names. */
  public enum Phase {
    INITIALIZING("initializing"),
    WAITING_FOR_CHECKPOINT("waiting for checkpoint to finish"),
    ESTIMATING("estimating backup size"),
    STREAMING("streaming database files"),
    WAITING_FOR_ARCHIVE("waiting for wal archiving to finish"),
    TRANSFERRING_WAL("transferring wal files");

    private final String viewName;

    Phase(String viewName) {
      this.viewName = viewName;
    }

    public String viewName() {
      return viewName;
    }
  }

  /** One backup's progress; fields written by its thread only. */
  public static final class Progress {
    private final int pid;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.INITIALIZING);
    private final AtomicLong total = new AtomicLong(-1);
    private final AtomicLong streamed = new AtomicLong();
    private volatile int tablespacesStreamed;

    Progress(int pid) {
      this.pid = pid;
    }

    void phase(Phase p) {
      phase.set(p);
    }

    void total(long bytes) {
      total.set(bytes);
    }

    void streamed(long bytes) {
      streamed.set(bytes);
    }

    void tablespaceDone() {
      tablespacesStreamed = 1;
    }

    /** A consistent-enough copy for one view row. */
    public Row row() {
      long t = total.get();
      return new Row(pid, phase.get().viewName(), t, streamed.get(), 1, tablespacesStreamed);
    }
  }

  /**
   * One row of the view; {@code backupTotal} is -1 when not estimated (NULL).
   *
   * @param pid the walsender's process id
   */
  public record Row(
      int pid,
      String phase,
      long backupTotal,
      long backupStreamed,
      int tablespacesTotal,
      int tablespacesStreamed) {}

  private final List<Progress> running = new CopyOnWriteArrayList<>();

  Progress start(int pid) {
    Progress p = new Progress(pid);
    running.add(p);
    return p;
  }

  void end(Progress p) {
    running.remove(p);
  }

  public List<Row> rows() {
    return running.stream().map(Progress::row).toList();
  }
}
