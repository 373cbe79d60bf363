package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.wal.Lsn;

/**
 * BASE_BACKUP's exact message sequence as a raw client sees it (pg-protocol-facts §5.2): the two
 * result sets with their types, CopyOut, {@code n} / {@code d} / {@code p} / {@code m} CopyData,
 * CopyDone, the end position, the tag. Checks what pg_basebackup does not show: the {@code p}
 * messages (9 bytes, never decreasing, the last one equal to the archive's length).
 */
class BaseBackupProtocolIT {

  @TempDir Path tmp;

  @Test
  void messageSequenceAndProgressMessages() throws Exception {
    try (Primary primary = Primary.start(tmp, Map.of());
        ReplicationClient c = ReplicationClient.connect(primary.port(), "raw")) {
      primary.writeRows(20_000);
      c.sendQuery(
          "BASE_BACKUP ( LABEL 'raw', PROGRESS, WAL, WAIT 0, MANIFEST 'yes', MAX_RATE 4096)");
      ReplicationClient.Message m = c.read();
      assertThat(m.type()).isEqualTo('T');
      ByteBuffer t = ByteBuffer.wrap(m.body());
      assertThat(t.getShort()).isEqualTo((short) 2);
      m = c.read();
      assertThat(m.type()).isEqualTo('D');
      List<String> start = row(m.body());
      Lsn startLsn = Lsn.parse(start.get(0));
      assertThat(start.get(1)).isEqualTo("1");
      assertThat(c.read().cstring()).isEqualTo("SELECT");
      assertThat(c.read().type()).isEqualTo('T');
      m = c.read();
      List<String> spc = row(m.body());
      assertThat(spc.get(0)).isNull();
      assertThat(spc.get(1)).isNull();
      long sizeKb = Long.parseLong(spc.get(2));
      assertThat(sizeKb).isPositive();
      assertThat(c.read().cstring()).isEqualTo("SELECT");
      assertThat(c.read().type()).isEqualTo('H');

      m = c.read();
      assertThat(m.type()).isEqualTo('d');
      assertThat(new String(m.body(), StandardCharsets.US_ASCII)).isEqualTo("nbase.tar\0\0");
      long tarBytes = 0;
      List<Long> progress = new ArrayList<>();
      ByteArrayOutputStream manifest = null;
      while (true) {
        m = c.read();
        if (m.type() == 'c') {
          break;
        }
        assertThat(m.type()).isEqualTo('d');
        byte[] b = m.body();
        switch (b[0]) {
          case 'd' -> {
            if (manifest != null) {
              manifest.write(b, 1, b.length - 1);
            } else {
              tarBytes += b.length - 1;
            }
          }
          case 'p' -> {
            assertThat(b).hasSize(9);
            progress.add(ByteBuffer.wrap(b, 1, 8).getLong());
          }
          case 'm' -> {
            assertThat(b).hasSize(1);
            manifest = new ByteArrayOutputStream();
          }
          default -> throw new AssertionError("unexpected CopyData kind " + (char) b[0]);
        }
      }
      assertThat(tarBytes % 512).isZero();
      assertThat(progress).isNotEmpty().isSorted();
      assertThat(progress.get(progress.size() - 1)).isEqualTo(tarBytes);
      assertThat(manifest).isNotNull();
      String text = manifest.toString(StandardCharsets.UTF_8);
      assertThat(text).startsWith("{ \"PostgreSQL-Backup-Manifest-Version\": 1,").endsWith("\"}\n");
      assertThat(text)
          .contains("\"Path\": \"backup_label\"")
          .contains("\"Path\": \"global/control\"");

      assertThat(c.read().type()).isEqualTo('T');
      List<String> end = row(c.read().body());
      assertThat(Lsn.parse(end.get(0))).isGreaterThan(startLsn);
      assertThat(text)
          .contains("\"Start-LSN\": \"" + startLsn + "\", \"End-LSN\": \"" + end.get(0));
      assertThat(c.read().cstring()).isEqualTo("SELECT");
      assertThat(c.read().cstring()).isEqualTo("BASE_BACKUP");
      assertThat(c.read().type()).isEqualTo('Z');
    }
  }

  private static List<String> row(byte[] body) {
    ByteBuffer b = ByteBuffer.wrap(body);
    int n = b.getShort();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = b.getInt();
      if (len < 0) {
        out.add(null);
      } else {
        byte[] v = new byte[len];
        b.get(v);
        out.add(new String(v, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
