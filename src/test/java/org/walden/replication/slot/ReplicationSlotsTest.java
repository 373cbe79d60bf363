package org.walden.replication.slot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.wal.Lsn;
import org.walden.wal.WalRetention;
import org.walden.wal.Xid;

class ReplicationSlotsTest {
  @TempDir Path tmp;
  private final DurableFiles durable = new DurableFiles(FileIo.nio());

  private ReplicationSlots open(int max) throws Exception {
    return ReplicationSlots.restore(tmp.resolve("pg_replslot"), durable, max, new WalRetention());
  }

  @Test
  void stateFileRoundTripsAndEveryCorruptionIsNamed() {
    SlotState s = new SlotState("s1", Lsn.of(0x1234), Xid.of(77), Lsn.INVALID);
    byte[] b = SlotStateFile.encode(s);
    Path f = Path.of("state");
    assertThat(SlotStateFile.decode(f, b)).isEqualTo(new SlotStateFile.ReadResult.Valid(s));
    byte[] magic = b.clone();
    magic[0] ^= 1;
    assertThat(SlotStateFile.decode(f, magic).toString()).contains("wrong magic number");
    byte[] crc = b.clone();
    crc[b.length - 3] ^= 1;
    assertThat(SlotStateFile.decode(f, crc).toString()).contains("checksum mismatch");
    byte[] version = b.clone();
    version[7] = 9;
    assertThat(SlotStateFile.decode(f, version).toString()).contains("unsupported version 9");
    byte[] shorter = java.util.Arrays.copyOf(b, b.length - 1);
    assertThat(SlotStateFile.decode(f, shorter).toString()).contains("corrupted length");
    assertThat(SlotStateFile.decode(f, new byte[3]).toString()).contains("too short");
  }

  @Test
  void restartLsnOnlyMovesForward_andIsWrittenLazily() throws Exception {
    ReplicationSlots t = open(5);
    t.create("s1", false, 7, Optional.of(() -> Lsn.of(1000)));
    ReplicationSlot s = t.acquire("s1", 7, null);
    t.confirmFlush(s, Lsn.of(5000));
    t.confirmFlush(s, Lsn.of(3000));
    t.confirmFlush(s, Lsn.INVALID);
    assertThat(t.row("s1").orElseThrow().restartLsn()).isEqualTo(Lsn.of(5000));
    Path dir = tmp.resolve("pg_replslot");
    assertThat(ReplicationSlots.readStateFile(dir, "s1", durable).orElseThrow().restartLsn())
        .as("not written on each report")
        .isEqualTo(Lsn.of(1000));
    assertThat(t.minimumRestartLsn())
        .as("retention keeps what a crash would restore")
        .contains(Lsn.of(1000));
    t.release(s);
    assertThat(ReplicationSlots.readStateFile(dir, "s1", durable).orElseThrow().restartLsn())
        .isEqualTo(Lsn.of(5000));
    assertThat(open(5).row("s1").orElseThrow().restartLsn()).isEqualTo(Lsn.of(5000));
  }

  @Test
  void invalidationIsFinalAndPersisted() throws Exception {
    ReplicationSlots t = open(5);
    t.create("old", false, 1, Optional.of(() -> Lsn.of(1000)));
    t.create("new", false, 1, Optional.of(() -> Lsn.of(9000)));
    assertThat(t.invalidateBefore(Lsn.of(4096))).isTrue();
    SlotRow old = t.row("old").orElseThrow();
    assertThat(old.lost()).isTrue();
    assertThat(old.restartLsn().isValid()).isFalse();
    assertThat(old.invalidatedAt()).isEqualTo(Lsn.of(1000));
    assertThat(t.row("new").orElseThrow().lost()).isFalse();
    ReplicationSlot s = t.acquire("old", 2, null);
    t.confirmFlush(s, Lsn.of(20000));
    assertThat(t.row("old").orElseThrow().restartLsn().isValid()).isFalse();
    t.release(s);
    assertThat(open(5).row("old").orElseThrow().lost()).isTrue();
    assertThat(t.minimumRestartLsn()).contains(Lsn.of(9000));
  }

  @Test
  void restoreRemovesLeftovers_andRefusesMoreSlotsThanAllowed() throws Exception {
    ReplicationSlots t = open(5);
    t.create("a", false, 1, Optional.empty());
    t.create("b", false, 1, Optional.empty());
    Path dir = tmp.resolve("pg_replslot");
    Files.createDirectories(dir.resolve("half_made"));
    Files.createDirectories(dir.resolve("x.tmp"));
    assertThat(open(5).rows()).extracting(SlotRow::name).containsExactly("a", "b");
    assertThat(dir.resolve("half_made")).doesNotExist();
    assertThat(dir.resolve("x.tmp")).doesNotExist();
    assertThatThrownBy(() -> open(1))
        .isInstanceOf(SlotStoreException.class)
        .hasMessage("too many replication slots active before shutdown");
  }

  @Test
  void temporarySlotsAreNeverWrittenAndGoWithTheirConnection() throws Exception {
    ReplicationSlots t = open(5);
    t.create("tmp1", true, 42, Optional.of(() -> Lsn.of(1000)));
    assertThat(tmp.resolve("pg_replslot/tmp1")).doesNotExist();
    assertThatThrownBy(() -> t.acquire("tmp1", 43, null))
        .isInstanceOf(SlotException.class)
        .hasMessage("replication slot \"tmp1\" is active for PID 42");
    t.connectionEnded(42);
    assertThat(t.row("tmp1")).isEmpty();
  }
}
