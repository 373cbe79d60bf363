package org.walden.wire.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.SqlState;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;
import org.walden.wire.codec.FrontendMessage.SaslInitialResponse;
import org.walden.wire.codec.ProtocolViolation;

/**
 * Authenticates one connection (PostgreSQL's {@code ClientAuthentication}): picks the first
 * matching hba rule, runs its method's exchange over an {@link AuthConversation}, then checks the
 * role may log in (and start a walsender, for replication connections).
 *
 * <p>Method and secret, as in PostgreSQL:
 *
 * <ul>
 *   <li>{@code trust}: no exchange; the role must exist.
 *   <li>{@code reject}: FATAL 28000 "pg_hba.conf rejects connection …".
 *   <li>{@code scram-sha-256}: SCRAM against the role's verifier; a missing role or a non-SCRAM
 *       secret gets a mock exchange that fails at the end, so role existence does not leak.
 *   <li>{@code md5}: md5 challenge when the secret is an md5 secret; when it is a SCRAM verifier
 *       (md5 against it is impossible) SCRAM is used instead, as PostgreSQL does.
 *   <li>{@code password}: cleartext, checked against either kind of secret.
 * </ul>
 *
 * A failed password is FATAL 28P01 "password authentication failed for user …", whatever the reason
 * (wrong password, no such role, no password set); the reason is only logged.
 *
 * <p>Thread-safe; shared by all sessions of a listener. {@link #authenticate} runs on the session
 * thread and blocks on the client.
 */
public final class ClientAuthentication {
  private static final Logger log = LoggerFactory.getLogger(ClientAuthentication.class);

  private final HbaConfig hba;
  private final RoleStore roles;
  private final LocalInterfaces interfaces;

  public ClientAuthentication(HbaConfig hba, RoleStore roles, LocalInterfaces interfaces) {
    this.hba = hba;
    this.roles = roles;
    this.interfaces = interfaces;
  }

  public ClientAuthentication(HbaConfig hba, RoleStore roles) {
    this(hba, roles, LocalInterfaces.SYSTEM);
  }

  /**
   * Runs the exchange and sends AuthenticationOk.
   *
   * @return the authenticated role
   * @throws PgException FATAL, to be sent to the client before closing
   * @throws IOException if the client goes away
   */
  public Role authenticate(ConnectionRequest req, AuthConversation conv) throws IOException {
    HbaRule rule =
        hba.current().match(req, interfaces).orElseThrow(() -> new PgException(noEntry(req)));
    log.debug(
        "connection from {} user={} matched line {} of {}",
        req.hostText(),
        req.user(),
        rule.line(),
        rule.fileName());
    Optional<Role> role = roles.find(req.user());
    switch (rule.method()) {
      case REJECT -> throw new PgException(rejected(req));
      case TRUST -> {}
      case PASSWORD -> cleartext(req, role, conv);
      case MD5 -> {
        if (role.isPresent() && Md5Password.isMd5(role.get().secret())) {
          md5(req, role.get(), conv);
        } else {
          scram(req, role, conv);
        }
      }
      case SCRAM_SHA_256 -> scram(req, role, conv);
    }
    Role r =
        role.orElseThrow(() ->
            new PgException(
                PgError.fatal(
                    SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "role \"" + req.user() + "\" does not exist")));
    if (!r.canLogin()) {
      throw new PgException(
          PgError.fatal(
              SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
              "role \"" + r.name() + "\" is not permitted to log in"));
    }
    if (req.replication() != ReplicationMode.NONE && !r.replication() && !r.superuser()) {
      throw new PgException(
          PgError.fatal(
              SqlState.INSUFFICIENT_PRIVILEGE,
              "must be superuser or replication role to start walsender"));
    }
    conv.writer().authenticationOk();
    return r;
  }

  private void cleartext(ConnectionRequest req, Optional<Role> role, AuthConversation conv)
      throws IOException {
    conv.writer().authenticationCleartextPassword();
    String password = conv.readPasswordMessage().asPassword();
    String secret = role.map(Role::secret).orElse(null);
    boolean ok;
    if (password.isEmpty() || secret == null) {
      ok = false;
    } else if (ScramVerifier.isScram(secret)) {
      ok = ScramSha256.verifyPassword(verifier(secret, req), password);
    } else if (Md5Password.isMd5(secret)) {
      ok =
          java.security.MessageDigest.isEqual(
              Md5Password.encrypt(req.user(), password).getBytes(StandardCharsets.UTF_8),
              secret.getBytes(StandardCharsets.UTF_8));
    } else {
      ok = false;
    }
    if (!ok) {
      throw failed(req, secret == null ? "no password or no role" : "wrong password");
    }
  }

  private void md5(ConnectionRequest req, Role role, AuthConversation conv) throws IOException {
    byte[] salt = ScramSha256.randomBytes(4);
    conv.writer().authenticationMd5Password(salt);
    String response = conv.readPasswordMessage().asPassword();
    if (!Md5Password.verifyResponse(role.secret(), salt, response)) {
      throw failed(req, "md5 response does not match");
    }
  }

  private void scram(ConnectionRequest req, Optional<Role> role, AuthConversation conv)
      throws IOException {
    String secret = role.map(Role::secret).orElse(null);
    ScramServerExchange exchange =
        ScramVerifier.isScram(secret)
            ? ScramServerExchange.forVerifier(verifier(secret, req))
            : ScramServerExchange.mock(req.user());
    conv.writer().authenticationSasl(List.of(ScramSha256.MECHANISM));
    SaslInitialResponse initial = conv.readPasswordMessage().asSaslInitialResponse();
    if (!initial.mechanism().equals(ScramSha256.MECHANISM)) {
      throw new ProtocolViolation("client selected an invalid SASL authentication mechanism");
    }
    if (initial.clientFirst() == null) {
      throw new PgException(
          PgError.fatal(SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message")
              .withDetail("The message is empty."));
    }
    conv.writer().authenticationSaslContinue(exchange.serverFirst(initial.clientFirst()));
    byte[] serverFinal = exchange.serverFinal(conv.readPasswordMessage().asSaslResponse());
    if (serverFinal == null) {
      throw failed(req, exchange.isMock() ? "no SCRAM secret or no role" : "wrong SCRAM proof");
    }
    conv.writer().authenticationSaslFinal(serverFinal);
  }

  private static ScramVerifier verifier(String secret, ConnectionRequest req) {
    try {
      return ScramVerifier.parse(secret);
    } catch (IllegalArgumentException e) {
      log.warn("role \"{}\" has a malformed SCRAM secret", req.user());
      throw failed(req, "malformed SCRAM secret");
    }
  }

  private static PgException failed(ConnectionRequest req, String why) {
    log.info(
        "password authentication failed for user \"{}\" from {}: {}",
        req.user(),
        req.hostText(),
        why);
    return new PgException(
        PgError.fatal(
            SqlState.INVALID_PASSWORD,
            "password authentication failed for user \"" + req.user() + "\""));
  }

  static PgError noEntry(ConnectionRequest req) {
    String msg =
        req.replication() == ReplicationMode.PHYSICAL
            ? "no pg_hba.conf entry for replication connection from host \"%s\", user \"%s\", no encryption"
                .formatted(req.hostText(), req.user())
            : "no pg_hba.conf entry for host \"%s\", user \"%s\", database \"%s\", no encryption"
                .formatted(req.hostText(), req.user(), req.database());
    return PgError.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, msg);
  }

  static PgError rejected(ConnectionRequest req) {
    String msg =
        req.replication() == ReplicationMode.PHYSICAL
            ? "pg_hba.conf rejects replication connection for host \"%s\", user \"%s\", no encryption"
                .formatted(req.hostText(), req.user())
            : "pg_hba.conf rejects connection for host \"%s\", user \"%s\", database \"%s\", no encryption"
                .formatted(req.hostText(), req.user(), req.database());
    return PgError.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, msg);
  }
}
