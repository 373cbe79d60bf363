package org.walden.wire.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.walden.wire.PgError;

class MessageWriterTest {
  private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
  private final MessageWriter w = new MessageWriter(sink, 1024);

  private String hex() {
    return HexFormat.of().formatHex(sink.toByteArray());
  }

  @Test
  void readyForQuery_lengthBackPatched_andBufferedUntilFlush() throws IOException {
    w.readyForQuery('I');
    assertThat(sink.size()).isZero();
    w.flush();
    assertThat(hex()).isEqualTo("5a0000000549");
  }

  @Test
  void rowDescriptionAndDataRow_exactBytes() throws IOException {
    w.rowDescription(List.of(FieldDescription.computed("a", 23, 4)));
    w.dataRow(java.util.Arrays.asList("1", null, "é"));
    w.commandComplete("SELECT 1");
    w.flush();
    assertThat(hex())
        .isEqualTo(
            "54"
                + "0000001a"
                + "0001"
                + "6100"
                + "00000000"
                + "0000"
                + "00000017"
                + "0004"
                + "ffffffff"
                + "0000"
                + "44"
                + "00000015"
                + "0003"
                + "00000001"
                + "31"
                + "ffffffff"
                + "00000002"
                + "c3a9"
                + "43"
                + "0000000d"
                + "53454c4543542031"
                + "00");
  }

  @Test
  void errorResponse_fieldsSVCMDHP() throws IOException {
    w.errorResponse(
        PgError.error("42601", "syntax error").withDetail("d").withHint("h").withPosition(7));
    w.flush();
    byte[] b = sink.toByteArray();
    String body = new String(b, 5, b.length - 5, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(b[0]).isEqualTo((byte) 'E');
    assertThat(body).isEqualTo("SERROR\0VERROR\0C42601\0Msyntax error\0Dd\0Hh\0P7\0\0");
  }

  @Test
  void largeOutput_writtenOutAtThresholdWithoutExplicitFlush() throws IOException {
    for (int i = 0; i < 100; i++) {
      w.dataRow(List.of("x".repeat(50)));
    }
    assertThat(sink.size()).isPositive();
    assertThat(sink.size() + w.buffered()).isEqualTo(100 * (1 + 4 + 2 + 4 + 50));
  }

  @Test
  void cstring_withNul_rejectedAndMisuseDetected() {
    assertThatThrownBy(() -> w.begin('C').cstring("a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.begin('C')).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void saslMessages_layout() throws IOException {
    w.authenticationSasl(List.of("SCRAM-SHA-256"));
    w.flush();
    assertThat(hex())
        .isEqualTo(
            "52"
                + "00000017"
                + "0000000a"
                + HexFormat.of().formatHex("SCRAM-SHA-256".getBytes())
                + "00"
                + "00");
  }
}
