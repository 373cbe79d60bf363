package org.walden.sql.exec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.walden.sql.parse.ast.QualifiedName;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;

/**
 * The read-only system views over the {@link ServerStatus}: {@code pg_stat_replication}, {@code
 * pg_stat_wal_receiver}, {@code pg_stat_archiver}, {@code pg_replication_slots} and {@code
 * pg_stat_progress_basebackup}, with PostgreSQL 15's column names, order and types
 * (system_views.sql). They are FROM items like a table: the SELECT machinery applies WHERE,
 * grouping, ORDER BY and LIMIT to the rows, which are read from the status once per execution.
 * Found under their bare names (before user tables, as {@code pg_catalog} comes first in the search
 * path) and as {@code pg_catalog.name}. Writing to one fails as in PostgreSQL. Stateless.
 */
final class SystemViews {
  private SystemViews() {}

  /** Who reads a view: PostgreSQL hides most columns from roles without pg_read_all_stats. */
  record Reader(String user, boolean superuser) {}

  /** A view: its columns and how to read its rows (Java values of the column types). */
  record View(
      String name,
      List<String> columns,
      List<ColumnType> types,
      BiFunction<ServerStatus, Reader, List<Object[]>> rows) {

    Scope scope(String alias) {
      return new Scope(alias != null ? alias : name, columns, types, 0);
    }
  }

  private static final class Builder {
    final List<String> names = new ArrayList<>();
    final List<ColumnType> types = new ArrayList<>();

    Builder col(String name, ColumnType type) {
      names.add(name);
      types.add(type);
      return this;
    }

    View view(String name, BiFunction<ServerStatus, Reader, List<Object[]>> rows) {
      return new View(name, List.copyOf(names), List.copyOf(types), rows);
    }
  }

  static final View PG_STAT_REPLICATION =
      new Builder()
          .col("pid", ColumnType.INTEGER)
          .col("usesysid", ColumnType.OID)
          .col("usename", ColumnType.NAME)
          .col("application_name", ColumnType.TEXT)
          .col("client_addr", ColumnType.INET)
          .col("client_hostname", ColumnType.TEXT)
          .col("client_port", ColumnType.INTEGER)
          .col("backend_start", ColumnType.TIMESTAMPTZ)
          .col("backend_xmin", ColumnType.XID)
          .col("state", ColumnType.TEXT)
          .col("sent_lsn", ColumnType.PG_LSN)
          .col("write_lsn", ColumnType.PG_LSN)
          .col("flush_lsn", ColumnType.PG_LSN)
          .col("replay_lsn", ColumnType.PG_LSN)
          .col("write_lag", ColumnType.INTERVAL)
          .col("flush_lag", ColumnType.INTERVAL)
          .col("replay_lag", ColumnType.INTERVAL)
          .col("sync_priority", ColumnType.INTEGER)
          .col("sync_state", ColumnType.TEXT)
          .col("reply_time", ColumnType.TIMESTAMPTZ)
          .view("pg_stat_replication", SystemViews::replicationRows);

  static final View PG_STAT_WAL_RECEIVER =
      new Builder()
          .col("pid", ColumnType.INTEGER)
          .col("status", ColumnType.TEXT)
          .col("receive_start_lsn", ColumnType.PG_LSN)
          .col("receive_start_tli", ColumnType.INTEGER)
          .col("written_lsn", ColumnType.PG_LSN)
          .col("flushed_lsn", ColumnType.PG_LSN)
          .col("received_tli", ColumnType.INTEGER)
          .col("last_msg_send_time", ColumnType.TIMESTAMPTZ)
          .col("last_msg_receipt_time", ColumnType.TIMESTAMPTZ)
          .col("latest_end_lsn", ColumnType.PG_LSN)
          .col("latest_end_time", ColumnType.TIMESTAMPTZ)
          .col("slot_name", ColumnType.TEXT)
          .col("sender_host", ColumnType.TEXT)
          .col("sender_port", ColumnType.INTEGER)
          .col("conninfo", ColumnType.TEXT)
          .view("pg_stat_wal_receiver", SystemViews::walReceiverRows);

  static final View PG_STAT_ARCHIVER =
      new Builder()
          .col("archived_count", ColumnType.BIGINT)
          .col("last_archived_wal", ColumnType.TEXT)
          .col("last_archived_time", ColumnType.TIMESTAMPTZ)
          .col("failed_count", ColumnType.BIGINT)
          .col("last_failed_wal", ColumnType.TEXT)
          .col("last_failed_time", ColumnType.TIMESTAMPTZ)
          .col("stats_reset", ColumnType.TIMESTAMPTZ)
          .view("pg_stat_archiver", SystemViews::archiverRows);

  static final View PG_REPLICATION_SLOTS =
      new Builder()
          .col("slot_name", ColumnType.NAME)
          .col("plugin", ColumnType.NAME)
          .col("slot_type", ColumnType.TEXT)
          .col("datoid", ColumnType.OID)
          .col("database", ColumnType.NAME)
          .col("temporary", ColumnType.BOOLEAN)
          .col("active", ColumnType.BOOLEAN)
          .col("active_pid", ColumnType.INTEGER)
          .col("xmin", ColumnType.XID)
          .col("catalog_xmin", ColumnType.XID)
          .col("restart_lsn", ColumnType.PG_LSN)
          .col("confirmed_flush_lsn", ColumnType.PG_LSN)
          .col("wal_status", ColumnType.TEXT)
          .col("safe_wal_size", ColumnType.BIGINT)
          .col("two_phase", ColumnType.BOOLEAN)
          .view("pg_replication_slots", SystemViews::replicationSlotRows);

  static final View PG_STAT_PROGRESS_BASEBACKUP =
      new Builder()
          .col("pid", ColumnType.INTEGER)
          .col("phase", ColumnType.TEXT)
          .col("backup_total", ColumnType.BIGINT)
          .col("backup_streamed", ColumnType.BIGINT)
          .col("tablespaces_total", ColumnType.BIGINT)
          .col("tablespaces_streamed", ColumnType.BIGINT)
          .view("pg_stat_progress_basebackup", SystemViews::baseBackupRows);

  /** Walden's own (not PostgreSQL's): synchronous replication counters, one row or none. */
  static final View WALDEN_STAT_SYNCREP =
      new Builder()
          .col("synchronous_standby_names", ColumnType.TEXT)
          .col("waiting", ColumnType.INTEGER)
          .col("waits", ColumnType.BIGINT)
          .col("released", ColumnType.BIGINT)
          .col("canceled", ColumnType.BIGINT)
          .col("terminated", ColumnType.BIGINT)
          .col("timed_out", ColumnType.BIGINT)
          .col("write_lsn", ColumnType.PG_LSN)
          .col("flush_lsn", ColumnType.PG_LSN)
          .col("apply_lsn", ColumnType.PG_LSN)
          .view("walden_stat_syncrep", SystemViews::syncRepRows);

  private static final List<View> ALL =
      List.of(
          PG_STAT_REPLICATION,
          PG_STAT_WAL_RECEIVER,
          PG_STAT_ARCHIVER,
          PG_REPLICATION_SLOTS,
          PG_STAT_PROGRESS_BASEBACKUP,
          WALDEN_STAT_SYNCREP);

  /** The view a (possibly {@code pg_catalog}-qualified) name denotes, or null. */
  static View find(QualifiedName qn) {
    if (qn.schema() != null && !qn.schema().equals("pg_catalog")) {
      return null;
    }
    for (View v : ALL) {
      if (v.name().equals(qn.name())) {
        return v;
      }
    }
    return null;
  }

  /**
   * INSERT, UPDATE or DELETE on a view fails as PostgreSQL's rewriter fails it for a view that is
   * not automatically updatable (each of these selects from functions and joins).
   *
   * @param verb {@code insert into}, {@code update} or {@code delete from}
   */
  static void refuseWrite(QualifiedName qn, String verb) {
    View v = find(qn);
    if (v == null) {
      return;
    }
    String event =
        switch (verb) {
          case "insert into" -> "INSERT";
          case "update" -> "UPDATE";
          default -> "DELETE";
        };
    String action =
        switch (event) {
          case "INSERT" -> "inserting into";
          case "UPDATE" -> "updating";
          default -> "deleting from";
        };
    throw new SqlException(
        "55000",
        "cannot " + verb + " view \"" + v.name() + "\"",
        "Views that do not select from a single table or view are not automatically updatable.",
        "To enable "
            + action
            + " the view, provide an INSTEAD OF "
            + event
            + " trigger or an unconditional ON "
            + event
            + " DO INSTEAD rule.",
        0);
  }

  /** TRUNCATE of a view: 42809 "... is not a table". */
  static void refuseTruncate(QualifiedName qn) {
    View v = find(qn);
    if (v != null) {
      throw new SqlException("42809", "\"" + v.name() + "\" is not a table");
    }
  }

  /**
   * As pg_stat_get_wal_senders and pg_stat_get_activity: a reader without pg_read_all_stats
   * (Walden: a non-superuser) sees only the pid of the walsender's own columns (state onwards), and
   * of another role's connection not its address, port or start time.
   */
  private static List<Object[]> replicationRows(ServerStatus s, Reader reader) {
    List<Object[]> out = new ArrayList<>();
    for (ReplicationStatRow r : s.replication()) {
      Object[] row =
          new Object[] {
            r.pid(),
            r.usesysid(),
            r.usename(),
            r.applicationName(),
            inet(r.clientAddr()),
            r.clientHostname(),
            r.clientPort(),
            ts(r.backendStart()),
            r.backendXmin(),
            r.state(),
            lsn(r.sentLsn()),
            lsn(r.writeLsn()),
            lsn(r.flushLsn()),
            lsn(r.replayLsn()),
            r.writeLag(),
            r.flushLag(),
            r.replayLag(),
            r.syncPriority(),
            r.syncState(),
            ts(r.replyTime())
          };
      if (!reader.superuser()) {
        java.util.Arrays.fill(row, 9, row.length, null);
        if (!reader.user().equals(r.usename())) {
          java.util.Arrays.fill(row, 4, 8, null);
        }
      }
      out.add(row);
    }
    return out;
  }

  /** As pg_stat_get_wal_receiver: without pg_read_all_stats only the pid is shown. */
  private static List<Object[]> walReceiverRows(ServerStatus s, Reader reader) {
    return s.walReceiver().map(r -> List.<Object[]>of(walReceiverRow(r, reader))).orElse(List.of());
  }

  private static Object[] walReceiverRow(WalReceiverStatRow r, Reader reader) {
    if (!reader.superuser()) {
      Object[] row = new Object[15];
      row[0] = r.pid();
      return row;
    }
    return new Object[] {
      r.pid(),
      r.status(),
      lsn(r.receiveStartLsn()),
      r.receiveStartTli(),
      lsn(r.writtenLsn()),
      lsn(r.flushedLsn()),
      r.receivedTli(),
      ts(r.lastMsgSendTime()),
      ts(r.lastMsgReceiptTime()),
      lsn(r.latestEndLsn()),
      ts(r.latestEndTime()),
      r.slotName(),
      r.senderHost(),
      r.senderPort(),
      r.conninfo()
    };
  }

  /** pg_get_replication_slots: readable by everyone (PostgreSQL grants it to PUBLIC). */
  private static List<Object[]> replicationSlotRows(ServerStatus s, Reader reader) {
    List<Object[]> out = new ArrayList<>();
    for (ReplicationSlotStatRow r : s.replicationSlots()) {
      out.add(
          new Object[] {
            r.slotName(),
            null,
            "physical",
            null,
            null,
            r.temporary(),
            r.active(),
            r.activePid(),
            r.xmin(),
            null,
            lsn(r.restartLsn()),
            null,
            r.walStatus(),
            r.safeWalSize(),
            false
          });
    }
    return out;
  }

  private static List<Object[]> baseBackupRows(ServerStatus s, Reader reader) {
    return s.baseBackupProgress().stream()
        .map(r ->
            new Object[] {
              r.pid(),
              r.phase(),
              r.backupTotal(),
              r.backupStreamed(),
              r.tablespacesTotal(),
              r.tablespacesStreamed()
            })
        .toList();
  }

  private static List<Object[]> archiverRows(ServerStatus s, Reader reader) {
    ArchiverStatRow r = s.archiver();
    return List.<Object[]>of(
        new Object[] {
          r.archivedCount(),
          r.lastArchivedWal(),
          ts(r.lastArchivedTime()),
          r.failedCount(),
          r.lastFailedWal(),
          ts(r.lastFailedTime()),
          ts(r.statsReset())
        });
  }

  private static List<Object[]> syncRepRows(ServerStatus s, Reader reader) {
    return s.syncRep()
        .map(r ->
            List.<Object[]>of(
                new Object[] {
                  r.standbyNames(),
                  r.waiting(),
                  r.waits(),
                  r.released(),
                  r.canceled(),
                  r.terminated(),
                  r.timedOut(),
                  lsn(r.writeLsn()),
                  lsn(r.flushLsn()),
                  lsn(r.applyLsn())
                }))
        .orElse(List.of());
  }

  private static Lsn lsn(Lsn l) {
    return l == null || !l.isValid() ? null : l;
  }

  private static PgTimestamp ts(Instant i) {
    return i == null ? null : PgTimestamp.of(i);
  }

  /** inet output of an address: dotted IPv4, or IPv6 with the longest zero run as {@code ::}. */
  static String inet(InetAddress a) {
    if (a == null) {
      return null;
    }
    if (!(a instanceof Inet6Address)) {
      return a.getHostAddress();
    }
    byte[] b = a.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLen = 1; // a single zero group is not shortened
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append(i == 0 ? "::" : ":");
        i += bestLen - 1;
        continue;
      }
      sb.append(Integer.toHexString(g[i]));
      if (i < 7) {
        sb.append(':');
      }
    }
    return sb.toString();
  }
}
