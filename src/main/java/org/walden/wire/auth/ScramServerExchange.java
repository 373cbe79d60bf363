package org.walden.wire.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.Severity;
import org.walden.wire.SqlState;

/**
 * The server side of one SCRAM-SHA-256 exchange (without channel binding, since Walden has no TLS):
 * {@link #serverFirst} answers the client-first message, {@link #serverFinal} checks the
 * client-final message's proof and produces the server-final message.
 *
 * <p>Accepted client-first headers are {@code n,,} and {@code y,,} ("client supports channel
 * binding but thinks the server does not": true here). The SCRAM user name ({@code n=}, empty for
 * libpq, {@code *} for pgjdbc) is ignored: the startup packet's user is authenticated. {@code p=}
 * (channel binding), an authorization identity {@code a=} and mandatory extensions {@code m=} are
 * refused as PostgreSQL refuses them.
 *
 * <p>A <em>mock</em> exchange (for a missing role or one without a SCRAM secret) runs the same
 * steps with a salt derived from the user name, so the client cannot tell the cases apart, and
 * always fails at the proof check.
 *
 * <p>Lifecycle: one instance per login attempt; used by the session thread only; not reusable.
 */
public final class ScramServerExchange {
  private static final byte[] MOCK_KEY = ScramSha256.randomBytes(32);

  private final ScramVerifier verifier; // null for a mock exchange
  private final byte[] salt;
  private final int iterations;
  private String clientFirstBare;
  private char cbindFlag;
  private String serverFirst;
  private String fullNonce;

  private ScramServerExchange(ScramVerifier verifier, byte[] salt, int iterations) {
    this.verifier = verifier;
    this.salt = salt;
    this.iterations = iterations;
  }

  /** An exchange that checks the client's proof against {@code verifier}. */
  public static ScramServerExchange forVerifier(ScramVerifier verifier) {
    return new ScramServerExchange(verifier, verifier.saltRef(), verifier.iterations());
  }

  /** An exchange that looks real to the client but can never succeed. */
  public static ScramServerExchange mock(String user) {
    byte[] h = ScramSha256.hmac(MOCK_KEY, user.getBytes(StandardCharsets.UTF_8));
    byte[] salt = java.util.Arrays.copyOf(h, ScramSha256.SALT_LENGTH);
    return new ScramServerExchange(null, salt, ScramSha256.DEFAULT_ITERATIONS);
  }

  public boolean isMock() {
    return verifier == null;
  }

  /**
   * Parses client-first and returns server-first ({@code r=<cnonce><snonce>,s=<salt>,i=<n>}).
   *
   * @throws PgException (FATAL) if the message is malformed or asks for what is not supported
   */
  public byte[] serverFirst(byte[] clientFirst) {
    if (serverFirst != null) {
      throw new IllegalStateException("server-first already sent");
    }
    String s = new String(clientFirst, StandardCharsets.UTF_8);
    if (s.isEmpty()) {
      throw malformed("The message is empty.");
    }
    char flag = s.charAt(0);
    switch (flag) {
      case 'n', 'y' -> {
        if (s.length() < 2 || s.charAt(1) != ',') {
          throw malformed("Comma expected, but found character \"%s\".".formatted(at(s, 1)));
        }
      }
      case 'p' ->
          throw malformed(
              "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message"
                  + " includes channel binding data.");
      default -> throw malformed("Unexpected channel-binding flag \"%s\".".formatted(at(s, 0)));
    }
    int pos = 2;
    if (s.startsWith("a=", pos)) {
      throw new PgException(
          fatal(
              SqlState.FEATURE_NOT_SUPPORTED,
              "client uses authorization identity, but it is not supported"));
    }
    if (pos >= s.length() || s.charAt(pos) != ',') {
      throw malformed("Unexpected attribute \"%s\" in client-first-message.".formatted(at(s, pos)));
    }
    cbindFlag = flag;
    clientFirstBare = s.substring(pos + 1);
    if (clientFirstBare.startsWith("m=")) {
      throw new PgException(
          fatal(SqlState.FEATURE_NOT_SUPPORTED, "client requires an unsupported SCRAM extension"));
    }
    String[] attrs = clientFirstBare.split(",", -1);
    if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=")) {
      throw malformed("Expected attributes \"n\" and \"r\" in client-first-message.");
    }
    String clientNonce = attrs[1].substring(2);
    if (clientNonce.isEmpty() || !printable(clientNonce)) {
      throw malformed("The client nonce contains invalid characters.");
    }
    Base64.Encoder b64 = Base64.getEncoder();
    fullNonce = clientNonce + b64.encodeToString(ScramSha256.randomBytes(ScramSha256.NONCE_LENGTH));
    serverFirst = "r=" + fullNonce + ",s=" + b64.encodeToString(salt) + ",i=" + iterations;
    return serverFirst.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checks client-final ({@code c=…,r=…,p=…}).
   *
   * @return server-final ({@code v=<signature>}) if the proof is right, null if it is wrong (or
   *     this is a mock exchange): the caller reports 28P01
   * @throws PgException (FATAL 08P01) if the message is malformed
   */
  public byte[] serverFinal(byte[] clientFinal) {
    if (serverFirst == null) {
      throw new IllegalStateException("server-first not sent");
    }
    String s = new String(clientFinal, StandardCharsets.UTF_8);
    if (!s.startsWith("c=")) {
      throw malformed("Expected attribute \"c\" in client-final-message.");
    }
    int comma = s.indexOf(',');
    String cbind = comma < 0 ? s.substring(2) : s.substring(2, comma);
    boolean expected =
        (cbindFlag == 'n' && cbind.equals("biws")) || (cbindFlag == 'y' && cbind.equals("eSws"));
    if (!expected) {
      throw new PgException(
          fatal(
              SqlState.PROTOCOL_VIOLATION,
              "unexpected SCRAM channel-binding attribute in client-final-message"));
    }
    if (comma < 0 || !s.startsWith("r=", comma + 1)) {
      throw malformed("Expected attribute \"r\" in client-final-message.");
    }
    int nonceEnd = s.indexOf(',', comma + 1);
    if (nonceEnd < 0) {
      throw malformed("Expected attribute \"p\" in client-final-message.");
    }
    String nonce = s.substring(comma + 3, nonceEnd);
    int proofAt = s.lastIndexOf(",p=");
    if (proofAt < nonceEnd) {
      throw malformed("Expected attribute \"p\" in client-final-message.");
    }
    byte[] proof;
    try {
      proof = Base64.getDecoder().decode(s.substring(proofAt + 3));
    } catch (IllegalArgumentException e) {
      throw malformed("Malformed proof in client-final-message.");
    }
    if (proof.length != ScramSha256.KEY_LENGTH) {
      throw malformed("Malformed proof in client-final-message.");
    }
    if (!nonce.equals(fullNonce)) {
      throw new PgException(
          fatal(SqlState.PROTOCOL_VIOLATION, "invalid SCRAM response")
              .withDetail("Nonce does not match."));
    }
    if (verifier == null) {
      return null;
    }
    byte[] authMessage =
        (clientFirstBare + "," + serverFirst + "," + s.substring(0, proofAt))
            .getBytes(StandardCharsets.UTF_8);
    if (!ScramSha256.verifyClientProof(verifier.storedKeyRef(), authMessage, proof)) {
      return null;
    }
    byte[] signature = ScramSha256.serverSignature(verifier.serverKeyRef(), authMessage);
    return ("v=" + Base64.getEncoder().encodeToString(signature)).getBytes(StandardCharsets.UTF_8);
  }

  private static boolean printable(String nonce) {
    for (int i = 0; i < nonce.length(); i++) {
      char c = nonce.charAt(i);
      if (c < 0x21 || c > 0x7E || c == ',') {
        return false;
      }
    }
    return true;
  }

  private static String at(String s, int i) {
    return i < s.length() ? String.valueOf(s.charAt(i)) : "";
  }

  private static PgError fatal(String state, String message) {
    return new PgError(Severity.FATAL, state, message, null, null, 0);
  }

  private static PgException malformed(String detail) {
    return new PgException(
        fatal(SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message").withDetail(detail));
  }
}
