package org.walden.wal;

import java.nio.ByteBuffer;

/**
 * One decoded WAL record. {@code start} is where its header begins, {@code end} the byte after its
 * last byte (PostgreSQL's ReadRecPtr / EndRecPtr). The {@code body} is a read-only view that is
 * valid only until the reader that produced it reads again; copy what must be kept.
 */
public record WalRecord(
    Lsn start, Lsn end, RecordKind kind, byte info, Xid xid, Lsn prev, ByteBuffer body) {

  public int bodyLength() {
    return body.remaining();
  }
}
