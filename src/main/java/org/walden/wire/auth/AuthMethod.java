package org.walden.wire.auth;

/** The authentication methods an hba rule may name (the subset of PostgreSQL's that Walden has). */
public enum AuthMethod {
  TRUST("trust"),
  REJECT("reject"),
  MD5("md5"),
  SCRAM_SHA_256("scram-sha-256"),
  PASSWORD("password");

  private final String keyword;

  AuthMethod(String keyword) {
    this.keyword = keyword;
  }

  /** The name used in hba.conf. */
  public String keyword() {
    return keyword;
  }

  /** The method for an hba.conf keyword, or null if Walden has no such method. */
  public static AuthMethod fromKeyword(String word) {
    for (AuthMethod m : values()) {
      if (m.keyword.equals(word)) {
        return m;
      }
    }
    return null;
  }
}
