package org.walden.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.walden.wire.PgException;

/** The server's SCRAM state machine, driven by a client computed in the test. */
class ScramServerExchangeTest {
  private static final ScramVerifier VERIFIER = ScramSha256.buildVerifier("pencil");

  /** Runs the client side; returns server-final (or null) for the given password and header. */
  private static String login(ScramServerExchange ex, String gs2, String user, String password) {
    String bare = "n=" + user + ",r=fyko+d2lbbFgONRv9qkxdawL";
    String serverFirst =
        new String(
            ex.serverFirst((gs2 + bare).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
    assertThat(nonce).startsWith("fyko+d2lbbFgONRv9qkxdawL");
    // 18 random bytes are 24 base64 characters
    assertThat(nonce).hasSize("fyko+d2lbbFgONRv9qkxdawL".length() + 24);
    String saltB64 = serverFirst.split(",")[1].substring(2);
    assertThat(serverFirst).endsWith(",i=4096");
    String withoutProof =
        "c="
            + Base64.getEncoder().encodeToString(gs2.getBytes(StandardCharsets.US_ASCII))
            + ",r="
            + nonce;
    byte[] auth = (bare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
    byte[] salted = ScramSha256.saltedPassword(password, Base64.getDecoder().decode(saltB64), 4096);
    byte[] ck = ScramSha256.clientKey(salted);
    byte[] proof = ScramSha256.clientProof(ck, ScramSha256.storedKey(ck), auth);
    byte[] fin =
        ex.serverFinal(
            (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                .getBytes(StandardCharsets.UTF_8));
    if (fin == null) {
      return null;
    }
    String expected =
        "v="
            + Base64.getEncoder()
                .encodeToString(ScramSha256.serverSignature(ScramSha256.serverKey(salted), auth));
    assertThat(new String(fin, StandardCharsets.UTF_8)).isEqualTo(expected);
    return expected;
  }

  @Test
  void exchange_libpqStyleEmptyUser_succeeds() {
    assertThat(login(ScramServerExchange.forVerifier(VERIFIER), "n,,", "", "pencil")).isNotNull();
  }

  @Test
  void exchange_pgjdbcStyleStarUser_succeeds() {
    assertThat(login(ScramServerExchange.forVerifier(VERIFIER), "n,,", "*", "pencil")).isNotNull();
  }

  @Test
  void exchange_yHeaderWithoutTls_accepted() {
    assertThat(login(ScramServerExchange.forVerifier(VERIFIER), "y,,", "", "pencil")).isNotNull();
  }

  @Test
  void exchange_wrongPassword_returnsNull() {
    assertThat(login(ScramServerExchange.forVerifier(VERIFIER), "n,,", "", "pencil!")).isNull();
  }

  @Test
  void exchange_mock_alwaysFailsWithStableSalt() {
    assertThat(login(ScramServerExchange.mock("ghost"), "n,,", "", "pencil")).isNull();
    String a = new String(ScramServerExchange.mock("ghost").serverFirst("n,,n=,r=abc".getBytes()));
    String b = new String(ScramServerExchange.mock("ghost").serverFirst("n,,n=,r=abc".getBytes()));
    assertThat(a.split(",")[1]).isEqualTo(b.split(",")[1]);
  }

  @Test
  void serverFirst_channelBindingRequested_refused() {
    assertThatThrownBy(() ->
            ScramServerExchange.forVerifier(VERIFIER)
                .serverFirst("p=tls-server-end-point,,n=,r=abc".getBytes()))
        .isInstanceOfSatisfying(
            PgException.class, e -> assertThat(e.error().sqlState()).isEqualTo("08P01"));
  }

  @Test
  void serverFirst_authzidOrExtension_refused0A000() {
    for (String msg : new String[] {"n,a=bob,n=,r=abc", "n,,m=ext,n=,r=abc"}) {
      assertThatThrownBy(
              () -> ScramServerExchange.forVerifier(VERIFIER).serverFirst(msg.getBytes()))
          .as(msg)
          .isInstanceOfSatisfying(
              PgException.class, e -> assertThat(e.error().sqlState()).isEqualTo("0A000"));
    }
  }

  @Test
  void serverFirst_malformed_refused08P01() {
    for (String msg : new String[] {"", "x,,n=,r=a", "n", "n,,r=abc", "n,,n=,r=", "n,,n=,r=a b"}) {
      assertThatThrownBy(
              () -> ScramServerExchange.forVerifier(VERIFIER).serverFirst(msg.getBytes()))
          .as(msg)
          .isInstanceOfSatisfying(
              PgException.class, e -> assertThat(e.error().sqlState()).isEqualTo("08P01"));
    }
  }

  @Test
  void serverFinal_nonceOrBindingMismatch_refused08P01() {
    ScramServerExchange ex = ScramServerExchange.forVerifier(VERIFIER);
    ex.serverFirst("n,,n=,r=abc".getBytes());
    String proof = Base64.getEncoder().encodeToString(new byte[32]);
    for (String fin :
        new String[] {
          "c=biws,r=abcWRONG,p=" + proof,
          "c=eSws,r=abc,p=" + proof,
          "r=abc,p=" + proof,
          "c=biws,r=abc",
          "c=biws,r=abc,p=!!!",
          "c=biws,r=abc,p=AAAA"
        }) {
      assertThatThrownBy(() -> ex.serverFinal(fin.getBytes()))
          .as(fin)
          .isInstanceOfSatisfying(
              PgException.class, e -> assertThat(e.error().sqlState()).isEqualTo("08P01"));
    }
  }
}
