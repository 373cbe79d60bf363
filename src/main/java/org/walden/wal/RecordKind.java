package org.walden.wal;

/**
 * What a WAL record is (PostgreSQL's resource manager + info bits, folded into one byte). The codes
 * are on disk: never renumber one, only add. The body format of each kind belongs to the layer that
 * writes it: {@code wal} owns the control kinds (checkpoints, switch, end of recovery, backup end,
 * restore point), {@code storage} owns transaction and data kinds.
 */
public enum RecordKind {
  /** Shutdown checkpoint: written last at a clean stop; redo point = the record itself. */
  CHECKPOINT_SHUTDOWN(1),
  /** Online checkpoint: marks that a table snapshot as of the redo point is on disk. */
  CHECKPOINT_ONLINE(2),
  /** Segment switch: the rest of the segment is unused ({@code pg_switch_wal()}). */
  SWITCH(3),
  /** End of recovery: a promoted standby's first record on its new timeline. */
  END_OF_RECOVERY(4),
  /** End of an online base backup started at the LSN in the body. */
  BACKUP_END(5),
  /** A named restore point ({@code pg_create_restore_point}). */
  RESTORE_POINT(6),
  /** A change of a setting standbys must match (max_connections and the like). */
  PARAMETER_CHANGE(7),
  /** No effect; used to fill or to force WAL to advance. */
  NOOP(8),

  COMMIT(10),
  ABORT(11),

  INSERT(20),
  UPDATE(21),
  DELETE(22),
  TRUNCATE(23),

  CREATE_TABLE(30),
  DROP_TABLE(31),
  ALTER_TABLE(32),
  ROLE(33),

  LOGICAL_MESSAGE(40);

  private static final RecordKind[] BY_CODE = new RecordKind[256];

  static {
    for (RecordKind k : values()) {
      BY_CODE[k.code] = k;
    }
  }

  private final int code;

  RecordKind(int code) {
    this.code = code;
  }

  public byte code() {
    return (byte) code;
  }

  /** The kind with this on-disk code, or null if the code is unknown. */
  public static RecordKind fromCode(byte code) {
    return BY_CODE[code & 0xFF];
  }

  public boolean isCheckpoint() {
    return this == CHECKPOINT_SHUTDOWN || this == CHECKPOINT_ONLINE;
  }
}
