package org.walden.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The body of a checkpoint record (online or shutdown): where redo must start, the commit position
 * the table snapshot was taken at, and the snapshot file holding it. Written by the checkpointer
 * after the snapshot is durable; found again by recovery through the control file (or a backup
 * label), which points at the record.
 *
 * @param redo where replay must start: the snapshot position, or earlier if a transaction was open
 *     then (its changes before the snapshot are in WAL, not in the snapshot)
 * @param snapshotLsn the snapshot holds exactly the transactions committed at or before this
 * @param timeline the timeline the record was written on
 * @param nextXid the next transaction id to assign
 * @param timeMicros wall-clock time of the checkpoint, microseconds since the Unix epoch
 * @param snapshotFile the snapshot's file name under {@code base/}
 */
public record CheckpointRecord(
    Lsn redo,
    Lsn snapshotLsn,
    TimelineId timeline,
    Xid nextXid,
    long timeMicros,
    String snapshotFile) {

  private static final byte VERSION = 1;

  public ByteBuffer encode() {
    byte[] name = snapshotFile.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b =
        ByteBuffer.allocate(1 + 8 + 8 + 4 + 8 + 8 + 2 + name.length).order(WalFormat.ORDER);
    b.put(VERSION)
        .putLong(redo.value())
        .putLong(snapshotLsn.value())
        .putInt(timeline.value())
        .putLong(nextXid.value())
        .putLong(timeMicros)
        .putShort((short) name.length)
        .put(name);
    return b.flip();
  }

  /**
   * Decodes a checkpoint body.
   *
   * @throws IllegalArgumentException if the body is not a checkpoint of a known version
   */
  public static CheckpointRecord decode(ByteBuffer body) {
    ByteBuffer b = body.duplicate().order(WalFormat.ORDER);
    try {
      byte v = b.get();
      if (v != VERSION) {
        throw new IllegalArgumentException("unknown checkpoint record version " + v);
      }
      Lsn redo = Lsn.of(b.getLong());
      Lsn snap = Lsn.of(b.getLong());
      TimelineId tli = new TimelineId(b.getInt());
      Xid next = Xid.of(b.getLong());
      long time = b.getLong();
      int len = b.getShort() & 0xFFFF;
      byte[] name = new byte[len];
      b.get(name);
      return new CheckpointRecord(
          redo, snap, tli, next, time, new String(name, StandardCharsets.UTF_8));
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("checkpoint record body is truncated", e);
    }
  }
}
