package org.walden.wire.auth;

/**
 * The first column of an hba rule. Walden has no TLS and no GSSAPI encryption, so {@code hostssl}
 * and {@code hostgssenc} rules never match and their negations match every TCP connection; it has
 * no Unix-domain socket yet, so {@code local} rules never match either (they still parse).
 */
public enum ConnectionType {
  LOCAL("local"),
  HOST("host"),
  HOSTSSL("hostssl"),
  HOSTNOSSL("hostnossl"),
  HOSTGSSENC("hostgssenc"),
  HOSTNOGSSENC("hostnogssenc");

  private final String keyword;

  ConnectionType(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }

  public static ConnectionType fromKeyword(String word) {
    for (ConnectionType t : values()) {
      if (t.keyword.equals(word)) {
        return t;
      }
    }
    return null;
  }

  /** Whether a rule of this type applies to a connection with these transport properties. */
  public boolean matches(boolean local, boolean ssl, boolean gssenc) {
    return switch (this) {
      case LOCAL -> local;
      case HOST -> !local;
      case HOSTSSL -> !local && ssl;
      case HOSTNOSSL -> !local && !ssl;
      case HOSTGSSENC -> !local && gssenc;
      case HOSTNOGSSENC -> !local && !gssenc;
    };
  }
}
