package org.walden.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.walden.wire.PgException;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;
import org.walden.wire.codec.FrameReader;
import org.walden.wire.codec.FrontendMessage.PasswordMessage;
import org.walden.wire.codec.MessageWriter;

/**
 * Method × secret combinations through {@link ClientAuthentication}, with a scripted client that
 * answers each {@code R} request the server writes.
 */
class ClientAuthenticationTest {
  private final InMemoryRoleStore roles =
      new InMemoryRoleStore()
          .putWithPassword("alice", "secret", false)
          .put(new Role("bob", true, false, false, Md5Password.encrypt("bob", "hunter2")));

  /** A client that reads the server's last R message and answers with the function's body. */
  private static final class ScriptedClient implements AuthConversation {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final MessageWriter writer = new MessageWriter(sent);
    private final Deque<Function<byte[], byte[]>> answers = new ArrayDeque<>();
    int requests;

    ScriptedClient answer(Function<byte[], byte[]> f) {
      answers.add(f);
      return this;
    }

    @Override
    public MessageWriter writer() {
      return writer;
    }

    @Override
    public PasswordMessage readPasswordMessage() throws IOException {
      writer.flush();
      FrameReader r = new FrameReader(new ByteArrayInputStream(sent.toByteArray()));
      byte[] last = null;
      while (r.readMessage()) {
        last = java.util.Arrays.copyOf(r.buffer(), r.bodyLength());
      }
      sent.reset();
      requests++;
      return new PasswordMessage(answers.remove().apply(last));
    }

    int lastCode() throws IOException {
      writer.flush();
      byte[] b = sent.toByteArray();
      return ByteBuffer.wrap(b, 5, 4).getInt();
    }
  }

  private static ClientAuthentication auth(String method, RoleStore roles) throws Exception {
    return new ClientAuthentication(
        HbaConfig.ofText("host all all 127.0.0.1/32 " + method + "\n"),
        roles,
        () -> java.util.List.of());
  }

  private static ConnectionRequest req(String user) throws Exception {
    return new ConnectionRequest(
        InetAddress.getByName("127.0.0.1"), false, false, "db", user, ReplicationMode.NONE);
  }

  private static byte[] cstr(String s) {
    return (s + "\0").getBytes(StandardCharsets.UTF_8);
  }

  /** A SCRAM client: returns the two answers for password {@code pw}. */
  private static ScriptedClient scramClient(String pw) {
    String bare = "n=,r=abcdefghijklmnop";
    String[] serverFirst = new String[1];
    return new ScriptedClient()
        .answer(req -> {
          assertThat(ByteBuffer.wrap(req).getInt()).isEqualTo(10);
          assertThat(new String(req, 4, req.length - 4)).isEqualTo("SCRAM-SHA-256\0\0");
          byte[] first = ("n,," + bare).getBytes(StandardCharsets.US_ASCII);
          return ByteBuffer.allocate(14 + 4 + first.length)
              .put(cstr("SCRAM-SHA-256"))
              .putInt(first.length)
              .put(first)
              .array();
        })
        .answer(req -> {
          assertThat(ByteBuffer.wrap(req).getInt()).isEqualTo(11);
          serverFirst[0] = new String(req, 4, req.length - 4, StandardCharsets.US_ASCII);
          String[] parts = serverFirst[0].split(",");
          String nonce = parts[0].substring(2);
          byte[] salt = Base64.getDecoder().decode(parts[1].substring(2));
          String noProof = "c=biws,r=" + nonce;
          byte[] authMsg =
              (bare + "," + serverFirst[0] + "," + noProof).getBytes(StandardCharsets.US_ASCII);
          byte[] ck = ScramSha256.clientKey(ScramSha256.saltedPassword(pw, salt, 4096));
          byte[] proof = ScramSha256.clientProof(ck, ScramSha256.storedKey(ck), authMsg);
          return (noProof + ",p=" + Base64.getEncoder().encodeToString(proof))
              .getBytes(StandardCharsets.US_ASCII);
        });
  }

  @Test
  void scram_rightPassword_saslFinalThenOk() throws Exception {
    ScriptedClient c = scramClient("secret");
    Role r = auth("scram-sha-256", roles).authenticate(req("alice"), c);
    assertThat(r.name()).isEqualTo("alice");
    assertThat(c.requests).isEqualTo(2);
  }

  @Test
  void scram_md5SecretOrUnknownRole_mockExchangeFails28P01() throws Exception {
    for (String user : new String[] {"bob", "nobody"}) {
      ScriptedClient c = scramClient("hunter2");
      assertThatThrownBy(() -> auth("scram-sha-256", roles).authenticate(req(user), c))
          .isInstanceOfSatisfying(
              PgException.class,
              e -> {
                assertThat(e.error().sqlState()).isEqualTo("28P01");
                assertThat(e.error().message())
                    .isEqualTo("password authentication failed for user \"" + user + "\"");
              });
      assertThat(c.requests).as(user).isEqualTo(2);
    }
  }

  @Test
  void md5_withMd5Secret_md5Challenge() throws Exception {
    ScriptedClient c =
        new ScriptedClient()
            .answer(req -> {
              assertThat(ByteBuffer.wrap(req).getInt()).isEqualTo(5);
              byte[] salt = java.util.Arrays.copyOfRange(req, 4, 8);
              return cstr(
                  Md5Password.expectedResponse(Md5Password.encrypt("bob", "hunter2"), salt));
            });
    assertThat(auth("md5", roles).authenticate(req("bob"), c).name()).isEqualTo("bob");
  }

  @Test
  void md5_withScramSecret_usesScram() throws Exception {
    ScriptedClient c = scramClient("secret");
    assertThat(auth("md5", roles).authenticate(req("alice"), c).name()).isEqualTo("alice");
  }

  @Test
  void password_cleartext_checkedAgainstBothSecretKinds() throws Exception {
    assertThat(
            auth("password", roles)
                .authenticate(req("bob"), new ScriptedClient().answer(r -> cstr("hunter2")))
                .name())
        .isEqualTo("bob");
    assertThat(
            auth("password", roles)
                .authenticate(req("alice"), new ScriptedClient().answer(r -> cstr("secret")))
                .name())
        .isEqualTo("alice");
    assertThatThrownBy(() ->
            auth("password", roles)
                .authenticate(req("alice"), new ScriptedClient().answer(r -> cstr(""))))
        .isInstanceOfSatisfying(
            PgException.class, e -> assertThat(e.error().sqlState()).isEqualTo("28P01"));
  }

  @Test
  void trust_unknownRole_fatal28000() {
    assertThatThrownBy(() -> auth("trust", roles).authenticate(req("ghost"), new ScriptedClient()))
        .isInstanceOfSatisfying(
            PgException.class,
            e -> {
              assertThat(e.error().sqlState()).isEqualTo("28000");
              assertThat(e.error().message()).isEqualTo("role \"ghost\" does not exist");
            });
  }

  @Test
  void trust_knownRole_sendsAuthenticationOk() throws Exception {
    ScriptedClient c = new ScriptedClient();
    auth("trust", roles).authenticate(req("alice"), c);
    assertThat(c.lastCode()).isZero();
  }
}
