package org.walden.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The SCRAM arithmetic against RFC 7677 section 3's test vector, and the verifier format. */
class ScramSha256Test {
  // RFC 7677 §3: user "user", password "pencil"
  private static final String CLIENT_FIRST_BARE = "n=user,r=rOprNGfwEbeRWgbNEkqO";
  private static final String SERVER_FIRST =
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  private static final String CLIENT_FINAL_WITHOUT_PROOF =
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  private static final String PROOF = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  private static final String SERVER_SIGNATURE = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  private static final byte[] AUTH_MESSAGE =
      (CLIENT_FIRST_BARE + "," + SERVER_FIRST + "," + CLIENT_FINAL_WITHOUT_PROOF)
          .getBytes(StandardCharsets.US_ASCII);

  private static ScramVerifier rfcVerifier() {
    return ScramSha256.buildVerifier(
        "pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  }

  @Test
  void clientProof_rfc7677Vector_matches() {
    byte[] salted =
        ScramSha256.saltedPassword(
            "pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
    byte[] clientKey = ScramSha256.clientKey(salted);
    byte[] proof =
        ScramSha256.clientProof(clientKey, ScramSha256.storedKey(clientKey), AUTH_MESSAGE);
    assertThat(Base64.getEncoder().encodeToString(proof)).isEqualTo(PROOF);
  }

  @Test
  void verifyClientProof_rfc7677Vector_acceptsAndSigns() {
    ScramVerifier v = rfcVerifier();
    assertThat(
            ScramSha256.verifyClientProof(
                v.storedKey(), AUTH_MESSAGE, Base64.getDecoder().decode(PROOF)))
        .isTrue();
    assertThat(
            Base64.getEncoder()
                .encodeToString(ScramSha256.serverSignature(v.serverKey(), AUTH_MESSAGE)))
        .isEqualTo(SERVER_SIGNATURE);
  }

  @Test
  void verifyClientProof_flippedBit_rejected() {
    byte[] proof = Base64.getDecoder().decode(PROOF);
    proof[5] ^= 1;
    assertThat(ScramSha256.verifyClientProof(rfcVerifier().storedKey(), AUTH_MESSAGE, proof))
        .isFalse();
    assertThat(ScramSha256.verifyClientProof(rfcVerifier().storedKey(), AUTH_MESSAGE, new byte[3]))
        .isFalse();
  }

  @Test
  void verifier_textForm_roundTripsInPostgresFormat() {
    ScramVerifier v = ScramSha256.buildVerifier("secret");
    String text = v.toString();
    assertThat(text)
        .matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}");
    assertThat(ScramVerifier.parse(text)).isEqualTo(v);
    assertThat(v.salt()).hasSize(16);
  }

  @Test
  void verifier_knownPostgresSecret_parsesAndVerifiesPassword() {
    // what PostgreSQL stores for "pencil" with the RFC salt
    String text = rfcVerifier().toString();
    assertThat(text).startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$");
    ScramVerifier v = ScramVerifier.parse(text);
    assertThat(ScramSha256.verifyPassword(v, "pencil")).isTrue();
    assertThat(ScramSha256.verifyPassword(v, "pencil2")).isFalse();
    assertThat(ScramSha256.verifyPassword(v, "")).isFalse();
  }

  @Test
  void parse_malformedVerifier_rejected() {
    for (String bad :
        new String[] {
          "md5abc",
          "SCRAM-SHA-256$",
          "SCRAM-SHA-256$x:AA==$AA==:AA==",
          "SCRAM-SHA-256$4096:AA==$AA==:AA=="
        }) {
      assertThatThrownBy(() -> ScramVerifier.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void md5_postgresFormat_matchesKnownValue() {
    // md5("foo" + "bar")
    assertThat(Md5Password.encrypt("bar", "foo")).isEqualTo("md53858f62230ac3c915f300c664312c63f");
    byte[] salt = {1, 2, 3, 4};
    String stored = Md5Password.encrypt("bar", "foo");
    assertThat(Md5Password.verifyResponse(stored, salt, Md5Password.expectedResponse(stored, salt)))
        .isTrue();
    assertThat(Md5Password.verifyResponse(stored, salt, "md5" + "0".repeat(32))).isFalse();
  }
}
