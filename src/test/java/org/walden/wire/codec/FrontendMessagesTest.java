package org.walden.wire.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.walden.wire.codec.FrontendMessage.Bind;
import org.walden.wire.codec.FrontendMessage.Close;
import org.walden.wire.codec.FrontendMessage.CopyData;
import org.walden.wire.codec.FrontendMessage.CopyFail;
import org.walden.wire.codec.FrontendMessage.Describe;
import org.walden.wire.codec.FrontendMessage.Execute;
import org.walden.wire.codec.FrontendMessage.Parse;
import org.walden.wire.codec.FrontendMessage.PasswordMessage;
import org.walden.wire.codec.FrontendMessage.Query;
import org.walden.wire.codec.FrontendMessage.Target;

class FrontendMessagesTest {
  private static FrontendMessage decode(char type, Bytes body) {
    byte[] b = body.get();
    return FrontendMessages.decode(type, b, b.length);
  }

  @Test
  void decode_everyType_asPgjdbcAndLibpqSendIt() {
    assertThat(decode('Q', new Bytes().str("select 1"))).isEqualTo(new Query("select 1"));
    assertThat(decode('P', new Bytes().str("S_1").str("select $1").i16(1).i32(23)))
        .isEqualTo(new Parse("S_1", "select $1", new int[] {23}));
    Bind b =
        (Bind)
            decode(
                'B',
                new Bytes()
                    .str("")
                    .str("S_1")
                    .i16(1)
                    .i16(1)
                    .i16(2)
                    .i32(4)
                    .raw(new byte[] {0, 0, 0, 7})
                    .i32(-1)
                    .i16(1)
                    .i16(1));
    assertThat(b.statement()).isEqualTo("S_1");
    assertThat(b.parameters()[0]).containsExactly(0, 0, 0, 7);
    assertThat(b.parameters()[1]).isNull();
    assertThat(b.parameterFormat(1)).isEqualTo(1);
    assertThat(b.resultFormat(5)).isEqualTo(1);
    assertThat(decode('D', new Bytes().i8('P').str(""))).isEqualTo(new Describe(Target.PORTAL, ""));
    assertThat(decode('E', new Bytes().str("").i32(0))).isEqualTo(new Execute("", 0));
    assertThat(decode('C', new Bytes().i8('S').str("S_2")))
        .isEqualTo(new Close(Target.STATEMENT, "S_2"));
    assertThat(decode('S', new Bytes())).isInstanceOf(FrontendMessage.Sync.class);
    assertThat(decode('H', new Bytes())).isInstanceOf(FrontendMessage.Flush.class);
    assertThat(decode('X', new Bytes())).isInstanceOf(FrontendMessage.Terminate.class);
    assertThat(decode('d', new Bytes().raw(new byte[] {1, 2})))
        .isEqualTo(new CopyData(new byte[] {1, 2}));
    assertThat(decode('c', new Bytes())).isInstanceOf(FrontendMessage.CopyDone.class);
    assertThat(decode('f', new Bytes().str("boom"))).isEqualTo(new CopyFail("boom"));
    PasswordMessage p =
        (PasswordMessage)
            decode('p', new Bytes().str("SCRAM-SHA-256").i32(3).raw("n,,".getBytes()));
    assertThat(p.asSaslInitialResponse().mechanism()).isEqualTo("SCRAM-SHA-256");
    assertThat(p.asSaslInitialResponse().clientFirst()).containsExactly('n', ',', ',');
  }

  @Test
  void decode_malformedBodies_protocolViolation() {
    Object[][] cases = {
      {'Q', new Bytes().raw("no nul".getBytes())},
      {'Q', new Bytes().str("a").i8(1)},
      {'P', new Bytes().str("").str("x").i16(2).i32(23)},
      {'P', new Bytes().str("").str("x").i16(-1)},
      {'B', new Bytes().str("").str("").i16(0).i16(1).i32(-2)},
      {'B', new Bytes().str("").str("").i16(0).i16(1).i32(100).i8(1)},
      {'B', new Bytes().str("").str("").i16(0).i16(0)},
      {'D', new Bytes().i8('X').str("")},
      {'C', new Bytes()},
      {'E', new Bytes().str("").i16(0)},
      {'S', new Bytes().i8(0)},
      {'X', new Bytes().i8(0)},
      {'Z', new Bytes()},
      {'F', new Bytes()},
    };
    for (Object[] c : cases) {
      char type = (Character) c[0];
      assertThatThrownBy(() -> decode(type, (Bytes) c[1]))
          .as("type %s", type)
          .isInstanceOfSatisfying(
              ProtocolViolation.class, e -> assertThat(e.error().sqlState()).isEqualTo("08P01"));
    }
  }

  @Test
  void saslInitialResponse_badLengths_protocolViolation() {
    PasswordMessage neg = new PasswordMessage(new Bytes().str("M").i32(-5).get());
    assertThatThrownBy(neg::asSaslInitialResponse).isInstanceOf(ProtocolViolation.class);
    PasswordMessage longer = new PasswordMessage(new Bytes().str("M").i32(50).get());
    assertThatThrownBy(longer::asSaslInitialResponse).isInstanceOf(ProtocolViolation.class);
    PasswordMessage none = new PasswordMessage(new Bytes().str("M").i32(-1).get());
    assertThat(none.asSaslInitialResponse().clientFirst()).isNull();
    assertThatThrownBy(() -> new PasswordMessage(new byte[] {'x'}).asPassword())
        .isInstanceOf(ProtocolViolation.class);
  }
}
