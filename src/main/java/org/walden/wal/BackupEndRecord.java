package org.walden.wal;

import java.nio.ByteBuffer;

/**
 * The body of a {@link RecordKind#BACKUP_END} record (PostgreSQL's XLOG_BACKUP_END): the start
 * point of the online base backup that ended here. A server restored from that backup is consistent
 * once it has replayed this record (the one with its label's start point), so recovery of a copy
 * refuses to finish before it.
 */
public record BackupEndRecord(Lsn backupStart) {

  private static final byte VERSION = 1;

  public ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(1 + 8).order(WalFormat.ORDER);
    b.put(VERSION).putLong(backupStart.value());
    return b.flip();
  }

  /** Decodes a body; throws {@link IllegalArgumentException} if it is not one. */
  public static BackupEndRecord decode(ByteBuffer body) {
    ByteBuffer b = body.duplicate().order(WalFormat.ORDER);
    if (b.remaining() != 9 || b.get() != VERSION) {
      throw new IllegalArgumentException("not a version-1 backup-end record body");
    }
    return new BackupEndRecord(Lsn.of(b.getLong()));
  }
}
