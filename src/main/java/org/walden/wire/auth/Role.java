package org.walden.wire.auth;

import java.util.Objects;

/**
 * What authentication needs to know about a role: may it log in, is it a superuser, may it start a
 * walsender, and its password secret (a SCRAM-SHA-256 verifier or an md5 secret in PostgreSQL's
 * text forms; null when the role has no password).
 */
public record Role(
    String name, boolean canLogin, boolean superuser, boolean replication, String secret) {

  public Role {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    // never print the secret
    return "Role["
        + name
        + ", login="
        + canLogin
        + ", superuser="
        + superuser
        + ", replication="
        + replication
        + "]";
  }
}
