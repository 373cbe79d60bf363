package org.walden.replication.receiver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it without channel
 * binding: gs2 header {@code n,,}, an empty user name in the client-first message (the server uses
 * the startup user), and verification of the server's signature before the exchange counts as done.
 *
 * <p>One object per exchange, used in order: {@link #clientFirstMessage}, {@link
 * #clientFinalMessage}, {@link #verifyServerFinal}. Not thread-safe.
 *
 * <p>The password is used as given, without SASLprep normalization (libpq normalizes it, so
 * non-ASCII passwords whose normal form differs will not match).
 */
public final class ScramSha256Client {

  static final String MECHANISM = "SCRAM-SHA-256";
  private static final String GS2_HEADER = "n,,";

  private final String password;
  private final String clientFirstBare;
  private final String clientNonce;
  private byte[] expectedServerSignature;

  /** With a fresh 18-byte random nonce and an empty SCRAM user name, as libpq sends. */
  public ScramSha256Client(String password) {
    this("", password, randomNonce());
  }

  /** With a given user name and nonce (tests against the RFC's vectors). */
  public ScramSha256Client(String scramUser, String password, String clientNonce) {
    this.password = password;
    this.clientNonce = clientNonce;
    this.clientFirstBare =
        "n=" + scramUser.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
  }

  private static String randomNonce() {
    byte[] raw = new byte[18];
    new SecureRandom().nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  public String clientFirstMessage() {
    return GS2_HEADER + clientFirstBare;
  }

  /**
   * Answers the server-first message ({@code r=…,s=…,i=…}) with the client-final message carrying
   * the proof.
   *
   * @throws AuthenticationFailedException if the server's message is malformed or its nonce does
   *     not extend ours
   */
  public String clientFinalMessage(String serverFirst) throws AuthenticationFailedException {
    String nonce = null;
    String salt = null;
    String iterations = null;
    for (String attr : serverFirst.split(",")) {
      if (attr.startsWith("r=")) {
        nonce = attr.substring(2);
      } else if (attr.startsWith("s=")) {
        salt = attr.substring(2);
      } else if (attr.startsWith("i=")) {
        iterations = attr.substring(2);
      } else if (attr.startsWith("e=")) {
        throw new AuthenticationFailedException("SCRAM error from server: " + attr.substring(2));
      }
    }
    if (nonce == null || salt == null || iterations == null) {
      throw new AuthenticationFailedException("malformed SCRAM message (attribute missing)");
    }
    if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
      throw new AuthenticationFailedException("invalid SCRAM response (nonce mismatch)");
    }
    int iter;
    byte[] saltBytes;
    try {
      iter = Integer.parseInt(iterations);
      saltBytes = Base64.getDecoder().decode(salt);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationFailedException(
          "malformed SCRAM message (invalid salt or iteration count)");
    }
    if (iter < 1) {
      throw new AuthenticationFailedException("malformed SCRAM message (invalid iteration count)");
    }
    String channelBinding =
        "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.US_ASCII));
    String clientFinalWithoutProof = channelBinding + ",r=" + nonce;
    String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;
    byte[] salted = saltedPassword(password, saltBytes, iter);
    byte[] clientKey = hmac(salted, "Client Key");
    byte[] storedKey = sha256(clientKey);
    byte[] clientSignature = hmac(storedKey, authMessage);
    byte[] proof = new byte[clientKey.length];
    for (int i = 0; i < proof.length; i++) {
      proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
    }
    byte[] serverKey = hmac(salted, "Server Key");
    expectedServerSignature = hmac(serverKey, authMessage);
    return clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
  }

  /**
   * Checks the server-final message ({@code v=<ServerSignature>}).
   *
   * @throws AuthenticationFailedException if the server did not prove it knows the password
   */
  public void verifyServerFinal(String serverFinal) throws AuthenticationFailedException {
    if (expectedServerSignature == null) {
      throw new IllegalStateException("server-final before client-final");
    }
    if (serverFinal.startsWith("e=")) {
      throw new AuthenticationFailedException(
          "SCRAM error from server: " + serverFinal.substring(2));
    }
    if (!serverFinal.startsWith("v=")) {
      throw new AuthenticationFailedException("malformed SCRAM message (verifier missing)");
    }
    String v = serverFinal.substring(2);
    int comma = v.indexOf(',');
    if (comma >= 0) {
      v = v.substring(0, comma);
    }
    byte[] got;
    try {
      got = Base64.getDecoder().decode(v);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationFailedException("malformed SCRAM message (invalid server signature)");
    }
    if (!MessageDigest.isEqual(got, expectedServerSignature)) {
      throw new AuthenticationFailedException("incorrect server signature");
    }
  }

  static byte[] saltedPassword(String password, byte[] salt, int iterations) {
    try {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      return f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
