package org.walden.wire.auth;

import java.util.Arrays;
import java.util.Base64;

/**
 * A stored SCRAM-SHA-256 secret in PostgreSQL's text form {@code SCRAM-SHA-256$<iterations>:<base64
 * salt>$<base64 StoredKey>:<base64 ServerKey>}. Holding StoredKey and ServerKey (not the password)
 * means a login costs a few HMACs and no PBKDF2, and a stolen verifier cannot be replayed as a
 * password.
 *
 * <p>Immutable (the arrays are defensive copies).
 */
public final class ScramVerifier {
  public static final String PREFIX = "SCRAM-SHA-256$";

  private final int iterations;
  private final byte[] salt;
  private final byte[] storedKey;
  private final byte[] serverKey;

  public ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    if (iterations <= 0) {
      throw new IllegalArgumentException("iterations must be positive: " + iterations);
    }
    if (storedKey.length != ScramSha256.KEY_LENGTH || serverKey.length != ScramSha256.KEY_LENGTH) {
      throw new IllegalArgumentException("SCRAM keys must be 32 bytes");
    }
    this.iterations = iterations;
    this.salt = salt.clone();
    this.storedKey = storedKey.clone();
    this.serverKey = serverKey.clone();
  }

  /** True if {@code secret} looks like a SCRAM-SHA-256 verifier (it may still fail to parse). */
  public static boolean isScram(String secret) {
    return secret != null && secret.startsWith(PREFIX);
  }

  /**
   * Parses PostgreSQL's text form.
   *
   * @throws IllegalArgumentException if it is not a well-formed SCRAM-SHA-256 verifier
   */
  public static ScramVerifier parse(String text) {
    if (!isScram(text)) {
      throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier");
    }
    String rest = text.substring(PREFIX.length());
    int dollar = rest.indexOf('$');
    if (dollar < 0) {
      throw new IllegalArgumentException("malformed SCRAM-SHA-256 verifier");
    }
    String[] iterSalt = rest.substring(0, dollar).split(":", -1);
    String[] keys = rest.substring(dollar + 1).split(":", -1);
    if (iterSalt.length != 2 || keys.length != 2) {
      throw new IllegalArgumentException("malformed SCRAM-SHA-256 verifier");
    }
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      return new ScramVerifier(
          Integer.parseInt(iterSalt[0]),
          b64.decode(iterSalt[1]),
          b64.decode(keys[0]),
          b64.decode(keys[1]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed SCRAM-SHA-256 verifier", e);
    }
  }

  public int iterations() {
    return iterations;
  }

  public byte[] salt() {
    return salt.clone();
  }

  public byte[] storedKey() {
    return storedKey.clone();
  }

  public byte[] serverKey() {
    return serverKey.clone();
  }

  // package-private views without copies, for the exchange
  byte[] saltRef() {
    return salt;
  }

  byte[] storedKeyRef() {
    return storedKey;
  }

  byte[] serverKeyRef() {
    return serverKey;
  }

  /** The PostgreSQL text form. */
  @Override
  public String toString() {
    Base64.Encoder b64 = Base64.getEncoder();
    return PREFIX
        + iterations
        + ":"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(storedKey)
        + ":"
        + b64.encodeToString(serverKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScramVerifier v
        && iterations == v.iterations
        && Arrays.equals(salt, v.salt)
        && Arrays.equals(storedKey, v.storedKey)
        && Arrays.equals(serverKey, v.serverKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(storedKey);
  }
}
