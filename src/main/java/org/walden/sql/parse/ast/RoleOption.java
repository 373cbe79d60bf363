package org.walden.sql.parse.ast;

/** One option of CREATE ROLE / ALTER ROLE, in the order written (a later one wins). */
public sealed interface RoleOption {

  /** A boolean attribute: {@code LOGIN}/{@code NOLOGIN}, {@code SUPERUSER}/…, and so on. */
  record Flag(RoleFlag flag, boolean enabled) implements RoleOption {}

  /**
   * {@code PASSWORD 'secret'}, or {@code PASSWORD NULL}.
   *
   * @param password the password text (plain or an already hashed SCRAM/md5 verifier), or null
   */
  record Password(String password) implements RoleOption {}

  /** {@code CONNECTION LIMIT n} (-1 means no limit). */
  record ConnectionLimit(int limit) implements RoleOption {}

  /** {@code VALID UNTIL 'timestamp'}, the timestamp text unparsed. */
  record ValidUntil(String timestamp) implements RoleOption {}

  /** The boolean role attributes, named as in {@code pg_authid} without the {@code rol} prefix. */
  enum RoleFlag {
    LOGIN,
    SUPERUSER,
    REPLICATION,
    CREATEDB,
    CREATEROLE,
    INHERIT,
    BYPASSRLS
  }
}
