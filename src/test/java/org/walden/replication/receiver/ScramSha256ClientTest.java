package org.walden.replication.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Against the SCRAM-SHA-256 example exchange of RFC 7677, section 3. */
class ScramSha256ClientTest {

  private static final String SERVER_FIRST =
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

  private ScramSha256Client rfcClient() {
    return new ScramSha256Client("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
  }

  @Test
  void rfc7677_clientMessages() throws Exception {
    ScramSha256Client c = rfcClient();
    assertThat(c.clientFirstMessage()).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    assertThat(c.clientFinalMessage(SERVER_FIRST))
        .isEqualTo(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  }

  @Test
  void rfc7677_serverSignatureIsVerified() throws Exception {
    ScramSha256Client c = rfcClient();
    c.clientFinalMessage(SERVER_FIRST);
    c.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  }

  @Test
  void wrongServerSignature_isRefused() throws Exception {
    ScramSha256Client c = rfcClient();
    c.clientFinalMessage(SERVER_FIRST);
    assertThatThrownBy(() -> c.verifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageContaining("incorrect server signature");
  }

  @Test
  void serverNonceMustExtendOurs() {
    ScramSha256Client c = rfcClient();
    assertThatThrownBy(
            () -> c.clientFinalMessage("r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageContaining("nonce");
  }

  @Test
  void libpqStyleFirstMessage_hasEmptyUserAndRandomNonce() {
    ScramSha256Client a = new ScramSha256Client("pw");
    ScramSha256Client b = new ScramSha256Client("pw");
    assertThat(a.clientFirstMessage()).startsWith("n,,n=,r=").hasSize("n,,n=,r=".length() + 24);
    assertThat(a.clientFirstMessage()).isNotEqualTo(b.clientFirstMessage());
  }

  @Test
  void md5Password_asPostgresComputesIt() {
    // md5(md5("secret" || "u1") || salt), worked out independently:
    byte[] salt = {1, 2, 3, 4};
    String got = new String(PgWalReceiverTransport.md5Password("u1", "secret", salt));
    assertThat(got).startsWith("md5").hasSize(35);
    assertThat(got).isEqualTo(expectedMd5("u1", "secret", salt));
  }

  private static String expectedMd5(String user, String pw, byte[] salt) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("MD5");
      String inner = java.util.HexFormat.of().formatHex(md.digest((pw + user).getBytes()));
      byte[] in = inner.getBytes();
      byte[] all = new byte[in.length + 4];
      System.arraycopy(in, 0, all, 0, in.length);
      System.arraycopy(salt, 0, all, in.length, 4);
      return "md5" + java.util.HexFormat.of().formatHex(md.digest(all));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
