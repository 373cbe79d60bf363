package org.walden.wire.auth;

import java.util.List;
import java.util.Map;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;

/**
 * One parsed hba.conf line. Immutable. {@link #matches} implements PostgreSQL's {@code check_hba}:
 * connection type, then database, then user, then address.
 *
 * @param address null for {@code local} rules
 * @param options the {@code name=value} options after the method, unvalidated
 */
public record HbaRule(
    ConnectionType type,
    List<Token> databases,
    List<Token> users,
    AddressMatch address,
    AuthMethod method,
    Map<String, String> options,
    String fileName,
    int line) {

  /** One word of a database or user column; a quoted word is never a keyword. */
  public record Token(String text, boolean quoted) {
    public boolean isKeyword(String keyword) {
      return !quoted && text.equals(keyword);
    }
  }

  public boolean matches(ConnectionRequest req, LocalInterfaces local) {
    if (!type.matches(req.isLocal(), req.ssl(), req.gssenc())) {
      return false;
    }
    if (!databaseMatches(req)) {
      return false;
    }
    if (!userMatches(req.user())) {
      return false;
    }
    return address == null || req.isLocal() || address.matches(req.address(), local);
  }

  private boolean databaseMatches(ConnectionRequest req) {
    for (Token t : databases) {
      if (req.replication() == ReplicationMode.PHYSICAL) {
        // a physical walsender has no database: only the replication keyword applies
        if (t.isKeyword("replication")) {
          return true;
        }
      } else if (t.isKeyword("all")) {
        return true;
      } else if (t.isKeyword("sameuser")) {
        if (req.database().equals(req.user())) {
          return true;
        }
      } else if (t.isKeyword("replication")) {
        continue;
      } else if (t.text().equals(req.database())) {
        return true;
      }
    }
    return false;
  }

  private boolean userMatches(String user) {
    for (Token t : users) {
      if (t.isKeyword("all") || t.text().equals(user)) {
        return true;
      }
    }
    return false;
  }
}
