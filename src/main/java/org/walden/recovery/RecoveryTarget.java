package org.walden.recovery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.walden.config.Config;
import org.walden.config.Settings;
import org.walden.storage.record.StorageRecords;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.WalRecord;

/**
 * Where archive recovery stops (PostgreSQL's {@code recovery_target_*} settings and its {@code
 * recoveryStopsBefore} / {@code recoveryStopsAfter}), judged one replayed record at a time.
 *
 * <ul>
 *   <li><b>lsn</b>: inclusive, stops after the first record starting at or after the LSN;
 *       exclusive, before it.
 *   <li><b>time</b>: judges commit and abort records by their commit time, and always stops before
 *       the record: inclusive, before the first one later than the target; exclusive, before the
 *       first one at or later than it.
 *   <li><b>name</b>: stops after the restore point record of that name (the first one).
 * </ul>
 *
 * <p>An immutable value, parsed once at startup from settings that only a restart changes; asked on
 * the recovery thread only.
 */
public final class RecoveryTarget {

  /** Which setting names the target. */
  public enum Kind {
    NONE,
    LSN,
    TIME,
    NAME
  }

  /** Why recovery stops at a record: the log line PostgreSQL writes. */
  public record Stop(boolean before, String message) {}

  private final Kind kind;
  private final boolean inclusive;
  private final Lsn lsn;
  private final long timeMicros;
  private final String name;

  private RecoveryTarget(Kind kind, boolean inclusive, Lsn lsn, long timeMicros, String name) {
    this.kind = kind;
    this.inclusive = inclusive;
    this.lsn = lsn;
    this.timeMicros = timeMicros;
    this.name = name;
  }

  /** No target: recover to the end of available WAL. */
  public static final RecoveryTarget NONE = new RecoveryTarget(Kind.NONE, true, null, 0, null);

  public static RecoveryTarget lsn(Lsn lsn, boolean inclusive) {
    return new RecoveryTarget(Kind.LSN, inclusive, lsn, 0, null);
  }

  public static RecoveryTarget time(long micros, boolean inclusive) {
    return new RecoveryTarget(Kind.TIME, inclusive, null, micros, null);
  }

  public static RecoveryTarget name(String name) {
    return new RecoveryTarget(Kind.NAME, true, null, 0, name);
  }

  /**
   * From the {@code recovery_target_*} settings.
   *
   * @throws RecoveryException if more than one target is set, or the time is not a timestamp
   */
  public static RecoveryTarget fromConfig(Config config) throws RecoveryException {
    String l = config.get(Settings.RECOVERY_TARGET_LSN);
    String t = config.get(Settings.RECOVERY_TARGET_TIME);
    String n = config.get(Settings.RECOVERY_TARGET_NAME);
    boolean inclusive = config.get(Settings.RECOVERY_TARGET_INCLUSIVE);
    int set = (l.isEmpty() ? 0 : 1) + (t.isEmpty() ? 0 : 1) + (n.isEmpty() ? 0 : 1);
    if (set > 1) {
      throw new RecoveryException(
          "multiple recovery targets specified",
          "At most one of recovery_target, recovery_target_lsn, recovery_target_name,"
              + " recovery_target_time, recovery_target_xid may be set.");
    }
    if (!l.isEmpty()) {
      return lsn(Lsn.parse(l), inclusive);
    }
    if (!n.isEmpty()) {
      return name(n);
    }
    if (!t.isEmpty()) {
      try {
        return time(((PgTimestamp) ColumnType.TIMESTAMPTZ.parse(t)).micros(), inclusive);
      } catch (RuntimeException e) {
        throw new RecoveryException(
            "invalid value for parameter \"recovery_target_time\": \"" + t + "\"",
            "Give a timestamp with time zone, e.g. 2026-12-03 19:30:00.123456+00.");
      }
    }
    return NONE;
  }

  public Kind kind() {
    return kind;
  }

  /** Should recovery stop before applying {@code r} (PostgreSQL's recoveryStopsBefore)? */
  public Stop stopsBefore(WalRecord r) {
    switch (kind) {
      case LSN -> {
        if (!inclusive && !r.start().isBefore(lsn)) {
          return new Stop(true, "recovery stopping before WAL location (LSN) \"" + lsn + "\"");
        }
      }
      case TIME -> {
        if (r.kind() == RecordKind.COMMIT || r.kind() == RecordKind.ABORT) {
          long at = recordTime(r);
          if (at != Long.MIN_VALUE && (inclusive ? at > timeMicros : at >= timeMicros)) {
            return new Stop(
                true,
                "recovery stopping before "
                    + (r.kind() == RecordKind.COMMIT ? "commit" : "abort")
                    + " of transaction "
                    + r.xid()
                    + ", time "
                    + format(at));
          }
        }
      }
      default -> {}
    }
    return null;
  }

  /** Should recovery stop after having applied {@code r} (PostgreSQL's recoveryStopsAfter)? */
  public Stop stopsAfter(WalRecord r) {
    switch (kind) {
      case LSN -> {
        if (inclusive && !r.start().isBefore(lsn)) {
          return new Stop(false, "recovery stopping after WAL location (LSN) \"" + lsn + "\"");
        }
      }
      case NAME -> {
        if (r.kind() == RecordKind.RESTORE_POINT) {
          RestorePoint p = RestorePoint.decode(r.body());
          if (p.name().equals(name)) {
            return new Stop(
                false,
                "recovery stopping at restore point \""
                    + name
                    + "\", time "
                    + format(p.timeMicros()));
          }
        }
      }
      default -> {}
    }
    return null;
  }

  /** What {@code recovery_target_*} names, for the "starting point-in-time recovery" log line. */
  public String describe() {
    return switch (kind) {
      case NONE -> "starting archive recovery";
      case LSN -> "starting point-in-time recovery to WAL location (LSN) \"" + lsn + "\"";
      case TIME -> "starting point-in-time recovery to " + format(timeMicros);
      case NAME -> "starting point-in-time recovery to \"" + name + "\"";
    };
  }

  private static long recordTime(WalRecord r) {
    if (r.kind() != RecordKind.COMMIT) {
      return Long.MIN_VALUE; // abort records carry no time here
    }
    try {
      return StorageRecords.commitTimeMicros(r.body());
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  static String format(long micros) {
    return ColumnType.TIMESTAMPTZ.format(new PgTimestamp(micros));
  }

  /**
   * The body of a {@code RESTORE_POINT} record (PostgreSQL's xl_restore_point): the time it was
   * created (µs since 2000-01-01) and its name.
   */
  public record RestorePoint(long timeMicros, String name) {
    private static final byte VERSION = 1;

    public ByteBuffer encode() {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + n.length);
      b.put(VERSION).putLong(timeMicros).putInt(n.length).put(n);
      return b.flip();
    }

    /** Decodes without consuming {@code body}. */
    public static RestorePoint decode(ByteBuffer body) {
      ByteBuffer b = body.duplicate().rewind(); // redo may have consumed the body
      if (b.get() != VERSION) {
        throw new IllegalArgumentException("unknown restore point record version");
      }
      long t = b.getLong();
      byte[] n = new byte[b.getInt()];
      b.get(n);
      return new RestorePoint(t, new String(n, StandardCharsets.UTF_8));
    }
  }
}
