package org.walden.wire.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM-SHA-256 arithmetic of RFC 5802 / RFC 7677, on {@code javax.crypto}: salted password
 * (PBKDF2-HMAC-SHA-256), client/server keys, signatures and proof checking, and building a {@link
 * ScramVerifier} from a password as PostgreSQL does (4096 iterations, 16-byte random salt).
 *
 * <p>Passwords are used as their UTF-8 bytes without SASLprep; for ASCII passwords (and any
 * password SASLprep leaves alone) this is exactly what libpq and pgjdbc compute.
 *
 * <p>Stateless and thread-safe; {@link Mac}/{@link MessageDigest} instances are created per call
 * (logins are rare next to queries, and the instances are not thread-safe).
 */
public final class ScramSha256 {
  private ScramSha256() {}

  /** PostgreSQL's {@code SCRAM_SHA_256_DEFAULT_ITERATIONS}. */
  public static final int DEFAULT_ITERATIONS = 4096;

  /** PostgreSQL's {@code SCRAM_DEFAULT_SALT_LEN}. */
  public static final int SALT_LENGTH = 16;

  /** PostgreSQL's {@code SCRAM_RAW_NONCE_LEN}. */
  public static final int NONCE_LENGTH = 18;

  /** SHA-256 output length: the size of every key, signature and proof. */
  public static final int KEY_LENGTH = 32;

  public static final String MECHANISM = "SCRAM-SHA-256";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Builds a verifier for {@code password} with a fresh random salt and the default iterations. */
  public static ScramVerifier buildVerifier(String password) {
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    return buildVerifier(password, salt, DEFAULT_ITERATIONS);
  }

  /** Builds a verifier from a password, salt and iteration count. */
  public static ScramVerifier buildVerifier(String password, byte[] salt, int iterations) {
    byte[] salted = saltedPassword(password, salt, iterations);
    return new ScramVerifier(iterations, salt, storedKey(clientKey(salted)), serverKey(salted));
  }

  /**
   * SaltedPassword := Hi(password, salt, i), PBKDF2 with HMAC-SHA-256.
   *
   * @throws IllegalArgumentException for an empty password (PostgreSQL never accepts one)
   */
  public static byte[] saltedPassword(String password, byte[] salt, int iterations) {
    if (password.isEmpty()) {
      throw new IllegalArgumentException("empty password");
    }
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, KEY_LENGTH * 8);
    try {
      // SunJCE encodes the chars as UTF-8, which is what the clients hash
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    } finally {
      spec.clearPassword();
    }
  }

  public static byte[] clientKey(byte[] saltedPassword) {
    return hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
  }

  public static byte[] serverKey(byte[] saltedPassword) {
    return hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
  }

  public static byte[] storedKey(byte[] clientKey) {
    return sha256(clientKey);
  }

  /** ServerSignature := HMAC(ServerKey, AuthMessage); sent as {@code v=} in server-final. */
  public static byte[] serverSignature(byte[] serverKey, byte[] authMessage) {
    return hmac(serverKey, authMessage);
  }

  /** ClientProof := ClientKey XOR HMAC(StoredKey, AuthMessage) (what a client sends). */
  public static byte[] clientProof(byte[] clientKey, byte[] storedKey, byte[] authMessage) {
    return xor(clientKey, hmac(storedKey, authMessage));
  }

  /**
   * The server's check: recover ClientKey = proof XOR HMAC(StoredKey, AuthMessage) and compare its
   * hash with StoredKey in constant time.
   */
  public static boolean verifyClientProof(byte[] storedKey, byte[] authMessage, byte[] proof) {
    if (proof.length != KEY_LENGTH) {
      return false;
    }
    byte[] clientKey = xor(proof, hmac(storedKey, authMessage));
    return MessageDigest.isEqual(sha256(clientKey), storedKey);
  }

  /** True if {@code password} matches the verifier (cleartext {@code password} method). */
  public static boolean verifyPassword(ScramVerifier v, String password) {
    if (password.isEmpty()) {
      return false;
    }
    byte[] salted = saltedPassword(password, v.saltRef(), v.iterations());
    return MessageDigest.isEqual(storedKey(clientKey(salted)), v.storedKeyRef());
  }

  /** {@code n} fresh random bytes (nonces, salts). */
  public static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
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

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }
}
