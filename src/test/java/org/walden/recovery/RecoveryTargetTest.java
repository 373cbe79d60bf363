package org.walden.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.walden.storage.record.StorageRecords;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.WalRecord;
import org.walden.wal.Xid;

/** recoveryStopsBefore / recoveryStopsAfter semantics for each target kind. */
class RecoveryTargetTest {

  private static WalRecord rec(long start, RecordKind kind, ByteBuffer body) {
    return new WalRecord(
        Lsn.of(start), Lsn.of(start + 40), kind, (byte) 0, new Xid(7), Lsn.INVALID, body);
  }

  private static WalRecord commit(long start, long micros) {
    ByteBuffer b = ByteBuffer.allocate(9);
    b.put((byte) StorageRecords.VERSION).putLong(micros).flip();
    return rec(start, RecordKind.COMMIT, b);
  }

  @Test
  void lsnInclusiveStopsAfterExclusiveBefore() {
    WalRecord at = rec(1000, RecordKind.INSERT, ByteBuffer.allocate(0));
    WalRecord earlier = rec(900, RecordKind.INSERT, ByteBuffer.allocate(0));
    RecoveryTarget incl = RecoveryTarget.lsn(Lsn.of(1000), true);
    RecoveryTarget excl = RecoveryTarget.lsn(Lsn.of(1000), false);
    assertThat(incl.stopsBefore(at)).isNull();
    assertThat(incl.stopsAfter(earlier)).isNull();
    assertThat(incl.stopsAfter(at).message())
        .isEqualTo("recovery stopping after WAL location (LSN) \"0/3E8\"");
    assertThat(excl.stopsBefore(earlier)).isNull();
    assertThat(excl.stopsBefore(at).before()).isTrue();
    assertThat(excl.stopsAfter(at)).isNull();
  }

  @Test
  void timeJudgesCommitsAndStopsBefore() {
    long t = 1_000_000;
    RecoveryTarget incl = RecoveryTarget.time(t, true);
    RecoveryTarget excl = RecoveryTarget.time(t, false);
    assertThat(incl.stopsBefore(commit(100, t))).isNull();
    assertThat(incl.stopsBefore(commit(100, t + 1)).message())
        .startsWith("recovery stopping before commit of transaction 7, time ");
    assertThat(excl.stopsBefore(commit(100, t))).isNotNull();
    assertThat(excl.stopsBefore(commit(100, t - 1))).isNull();
    assertThat(incl.stopsBefore(rec(100, RecordKind.INSERT, ByteBuffer.allocate(0)))).isNull();
  }

  @Test
  void nameStopsAfterItsRestorePointOnly() {
    RecoveryTarget n = RecoveryTarget.name("rp");
    WalRecord other =
        rec(100, RecordKind.RESTORE_POINT, new RecoveryTarget.RestorePoint(5, "x").encode());
    WalRecord mine =
        rec(200, RecordKind.RESTORE_POINT, new RecoveryTarget.RestorePoint(5, "rp").encode());
    assertThat(n.stopsAfter(other)).isNull();
    assertThat(n.stopsBefore(mine)).isNull();
    assertThat(n.stopsAfter(mine).message())
        .startsWith("recovery stopping at restore point \"rp\", time 2000-01-01");
  }

  @Test
  void restorePointBodyRoundTrips() {
    RecoveryTarget.RestorePoint p = new RecoveryTarget.RestorePoint(123456789L, "naïve");
    assertThat(RecoveryTarget.RestorePoint.decode(p.encode())).isEqualTo(p);
  }
}
