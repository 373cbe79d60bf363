package org.walden.wire.auth;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Who is connecting, as hba rules see it: the client address (null for a local socket), the
 * transport's encryption, the requested database and user, and the replication mode.
 */
public record ConnectionRequest(
    InetAddress address,
    boolean ssl,
    boolean gssenc,
    String database,
    String user,
    ReplicationMode replication) {

  /** The startup packet's {@code replication} parameter, as PostgreSQL interprets it. */
  public enum ReplicationMode {
    /** A normal backend. */
    NONE,
    /** {@code replication=true}: a physical walsender; matches the {@code replication} keyword. */
    PHYSICAL,
    /** {@code replication=database}: a logical walsender; matches database names like a backend. */
    LOGICAL
  }

  public ConnectionRequest {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(replication, "replication");
  }

  public boolean isLocal() {
    return address == null;
  }

  /** The host as PostgreSQL prints it in authentication errors. */
  public String hostText() {
    return address == null ? "[local]" : address.getHostAddress();
  }
}
