package org.walden.wire.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * PostgreSQL's md5 password scheme: the stored secret is {@code "md5" + hex(md5(password ‖ user))};
 * the client answers a 4-byte salt with {@code "md5" + hex(md5(hex-part ‖ salt))}.
 *
 * <p>Weak by today's standards and kept only because clients and old catalogs use it; a role whose
 * secret is a SCRAM verifier is authenticated with SCRAM even under an {@code md5} hba rule.
 * Stateless and thread-safe.
 */
public final class Md5Password {
  private Md5Password() {}

  /** True if {@code secret} is an md5 secret: {@code md5} followed by 32 hex digits. */
  public static boolean isMd5(String secret) {
    if (secret == null || secret.length() != 35 || !secret.startsWith("md5")) {
      return false;
    }
    for (int i = 3; i < 35; i++) {
      if (Character.digit(secret.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The stored form for {@code password} of {@code user}. */
  public static String encrypt(String user, String password) {
    return "md5" + md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
  }

  /** What a client must send for this stored secret and salt. */
  public static String expectedResponse(String storedSecret, byte[] salt) {
    byte[] hex = storedSecret.substring(3).getBytes(StandardCharsets.US_ASCII);
    byte[] in = new byte[hex.length + salt.length];
    System.arraycopy(hex, 0, in, 0, hex.length);
    System.arraycopy(salt, 0, in, hex.length, salt.length);
    return "md5" + md5Hex(in);
  }

  /** Constant-time check of a client's md5 response. */
  public static boolean verifyResponse(String storedSecret, byte[] salt, String response) {
    return MessageDigest.isEqual(
        expectedResponse(storedSecret, salt).getBytes(StandardCharsets.US_ASCII),
        response.getBytes(StandardCharsets.UTF_8));
  }

  private static String md5Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }
}
