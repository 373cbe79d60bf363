package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.walden.wal.Lsn;

class WalSenderTableTest {
  private static WalSenderEntry.Identity id(int pid) {
    return new WalSenderEntry.Identity(pid, 10, "u", "app" + pid, null, -1, Instant.EPOCH);
  }

  @Test
  void refusesBeyondMaxWalSendersAndFreesSlots() throws Exception {
    WalSenderTable t = new WalSenderTable(2);
    WalSenderEntry a = t.register(id(1));
    t.register(id(2));
    assertThatThrownBy(() -> t.register(id(3)))
        .isInstanceOfSatisfying(
            WalSenderException.class,
            e -> {
              assertThat(e.isFatal()).isTrue();
              assertThat(e.sqlState()).isEqualTo("53300");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "number of requested standby connections exceeds max_wal_senders"
                          + " (currently 2)");
            });
    t.unregister(a);
    t.register(id(3));
    assertThat(t.snapshot()).extracting(WalSenderRow::pid).containsExactly(2, 3);
  }

  @Test
  void snapshotRowsShowNullsForUnknowns() throws Exception {
    WalSenderTable t = new WalSenderTable(1);
    WalSenderEntry e = t.register(id(7));
    WalSenderRow r = t.snapshot().get(0);
    assertThat(r.state()).isEqualTo(WalSenderState.STARTUP);
    assertThat(r.state().viewName()).isEqualTo("startup");
    assertThat(r.sentLsn()).isEmpty();
    assertThat(r.writeLag()).isEmpty();
    assertThat(r.replyTime()).isEmpty();
    assertThat(r.clientAddr()).isEmpty();
    assertThat(r.syncPriority()).isZero();
    assertThat(r.syncState()).isEqualTo("async");
    e.setSentPtr(Lsn.of(0x100));
    assertThat(t.snapshot().get(0).sentLsn()).contains(Lsn.of(0x100));
  }

  @Test
  void finishAllDoesNotWaitForIdleWalSendersAndRefusesNewOnes() throws Exception {
    WalSenderTable t = new WalSenderTable(2);
    t.register(id(1));
    assertThat(t.finishAll(Lsn.of(0x100), Duration.ofSeconds(5))).isTrue();
    assertThatThrownBy(() -> t.register(id(2)))
        .isInstanceOfSatisfying(
            WalSenderException.class, e -> assertThat(e.sqlState()).isEqualTo("57P03"));
  }
}
