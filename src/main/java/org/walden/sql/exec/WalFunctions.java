package org.walden.sql.exec;

import java.util.Locale;
import java.util.Optional;
import org.walden.wal.Lsn;

/**
 * The WAL and recovery control functions of PostgreSQL's xlogfuncs.c, over the session's {@link
 * ServerStatus}: their recovery and privilege checks and errors. Stateless.
 */
final class WalFunctions {
  private WalFunctions() {}

  static final String WAL_CONTROL_HINT =
      "WAL control functions cannot be executed during recovery.";

  static SqlException inRecovery(String hint) {
    return new SqlException("55000", "recovery is in progress", null, hint, 0);
  }

  static SqlException permissionDenied(String function) {
    return new SqlException("42501", "permission denied for function " + function);
  }

  static Lsn orNull(Optional<Lsn> l) {
    return l.filter(Lsn::isValid).orElse(null);
  }

  /** pg_current_wal_lsn / _flush_lsn / _insert_lsn. */
  static Lsn current(SqlSession s, String function) {
    if (s.store().isInRecovery()) {
      throw inRecovery(WAL_CONTROL_HINT);
    }
    ServerStatus st = s.serverStatus();
    Optional<Lsn> l =
        switch (function) {
          case "pg_current_wal_lsn" -> st.currentWriteLsn();
          case "pg_current_wal_flush_lsn" -> st.currentFlushLsn();
          default -> st.currentInsertLsn();
        };
    return l.orElseThrow(() -> inRecovery(WAL_CONTROL_HINT));
  }

  static Lsn switchWal(SqlSession s) {
    if (!s.isSuperuser()) {
      throw permissionDenied("pg_switch_wal");
    }
    if (s.store().isInRecovery()) {
      throw inRecovery(WAL_CONTROL_HINT);
    }
    return s.serverStatus().switchWal();
  }

  /**
   * pg_cancel_backend / pg_terminate_backend: superuser only here (PostgreSQL also lets a role
   * signal its own backends); false if no backend has that pid.
   */
  static boolean signalBackend(SqlSession s, int pid, boolean terminate) {
    if (!s.isSuperuser()) {
      throw permissionDenied(terminate ? "pg_terminate_backend" : "pg_cancel_backend");
    }
    return terminate ? s.serverStatus().terminateBackend(pid) : s.serverStatus().cancelBackend(pid);
  }

  static boolean reloadConf(SqlSession s) {
    if (!s.isSuperuser()) {
      throw permissionDenied("pg_reload_conf");
    }
    return s.serverStatus().reloadConf();
  }

  /**
   * {@code pg_promote(wait boolean DEFAULT true, wait_seconds int DEFAULT 60)}: asks the standby to
   * end recovery; with {@code wait}, waits up to {@code wait_seconds} for it to accept writes.
   * Returns null for a null argument (the function is strict).
   */
  static Boolean promote(SqlSession s, Object wait, Object waitSeconds) {
    if (wait == null || waitSeconds == null) {
      return null;
    }
    if (!s.isSuperuser()) {
      throw permissionDenied("pg_promote");
    }
    if (!s.store().isInRecovery()) {
      throw new SqlException(
          "55000",
          "recovery is not in progress",
          null,
          "Recovery control functions can only be executed during recovery.",
          0);
    }
    boolean w = wait instanceof Boolean b ? b : Boolean.parseBoolean(wait.toString().strip());
    long secs =
        waitSeconds instanceof Number num
            ? num.longValue()
            : Long.parseLong(waitSeconds.toString());
    if (secs <= 0) {
      throw new SqlException("22003", "\"wait_seconds\" must not be negative or zero");
    }
    boolean done = s.serverStatus().promote(w, (int) Math.min(secs, Integer.MAX_VALUE));
    if (!done) {
      s.notice("01000", "server did not promote within " + secs + " seconds");
    }
    return done;
  }

  static boolean replayPaused(SqlSession s) {
    requireRecovery(s);
    return s.serverStatus().isWalReplayPaused();
  }

  private static void requireRecovery(SqlSession s) {
    if (!s.store().isInRecovery()) {
      throw new SqlException(
          "55000",
          "recovery is not in progress",
          null,
          "Recovery control functions can only be executed during recovery.",
          0);
    }
  }

  /** pg_get_wal_replay_pause_state. */
  static String replayPauseState(SqlSession s) {
    requireRecovery(s);
    return s.serverStatus().walReplayPauseState();
  }

  /**
   * pg_wal_replay_pause / pg_wal_replay_resume: superuser only (PostgreSQL's default grant). The
   * result is PostgreSQL's void, sent here as an empty text value.
   */
  static String replayControl(SqlSession s, String function) {
    if (!s.isSuperuser()) {
      throw permissionDenied(function);
    }
    requireRecovery(s);
    if (function.equals("pg_wal_replay_pause")) {
      s.serverStatus().pauseWalReplay();
    } else {
      s.serverStatus().resumeWalReplay();
    }
    return "";
  }

  /** PostgreSQL's MAXFNAMELEN - 1: the longest restore point name. */
  static final int MAX_RESTORE_POINT_NAME = 63;

  /** pg_create_restore_point(name): superuser only, not during recovery. */
  static Lsn createRestorePoint(SqlSession s, String name) {
    if (!s.isSuperuser()) {
      throw permissionDenied("pg_create_restore_point");
    }
    if (s.store().isInRecovery()) {
      throw inRecovery(WAL_CONTROL_HINT);
    }
    if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_RESTORE_POINT_NAME) {
      throw new SqlException(
          "22023",
          "value too long for restore point (maximum " + MAX_RESTORE_POINT_NAME + " characters)");
    }
    return s.serverStatus().createRestorePoint(name);
  }

  /**
   * pg_walfile_name: the segment holding the byte before {@code lsn} (XLByteToPrevSeg), on the
   * insert timeline. Not during recovery, where the insert timeline is not known.
   */
  static String walFileName(SqlSession s, Lsn lsn) {
    if (s.store().isInRecovery()) {
      throw inRecovery("pg_walfile_name() cannot be executed during recovery.");
    }
    ServerStatus st = s.serverStatus();
    return fileName(st.timeline().unsigned(), lsn, st.segmentSize().bytes());
  }

  /**
   * pg_walfile_name_offset: {@code {file_name, file_offset}}, the file as pg_walfile_name and the
   * offset of {@code lsn} itself within its segment (so 0 at a segment boundary, where the file is
   * the previous one, as in PostgreSQL). Null for a null LSN.
   */
  static Object[] walFileNameOffset(SqlSession s, Object lsn) {
    if (s.store().isInRecovery()) {
      throw inRecovery("pg_walfile_name_offset() cannot be executed during recovery.");
    }
    if (lsn == null) {
      return null;
    }
    Lsn l = (Lsn) lsn;
    ServerStatus st = s.serverStatus();
    int seg = st.segmentSize().bytes();
    return new Object[] {
      fileName(st.timeline().unsigned(), l, seg), (int) Long.remainderUnsigned(l.value(), seg)
    };
  }

  /** {@code %08X%08X%08X} of timeline, segno / segments-per-4GiB, segno % that. */
  static String fileName(long timeline, Lsn lsn, int segmentBytes) {
    long segNo = Long.divideUnsigned(lsn.value() - 1, segmentBytes);
    long perId = 0x1_0000_0000L / segmentBytes;
    return String.format(
        Locale.ROOT,
        "%08X%08X%08X",
        timeline,
        Long.divideUnsigned(segNo, perId),
        Long.remainderUnsigned(segNo, perId));
  }
}
