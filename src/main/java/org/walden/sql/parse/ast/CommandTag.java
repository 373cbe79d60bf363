package org.walden.sql.parse.ast;

/**
 * The command tag kinds PostgreSQL sends in CommandComplete, for the statements this parser
 * accepts. {@link #tag()} is the tag text without any row count; {@code INSERT} becomes {@code
 * INSERT 0 n} and SELECT/UPDATE/DELETE/COPY get {@code n} appended by the executor.
 */
public enum CommandTag {
  SELECT("SELECT"),
  INSERT("INSERT"),
  UPDATE("UPDATE"),
  DELETE("DELETE"),
  CREATE_TABLE("CREATE TABLE"),
  DROP_TABLE("DROP TABLE"),
  TRUNCATE_TABLE("TRUNCATE TABLE"),
  ALTER_TABLE("ALTER TABLE"),
  CREATE_ROLE("CREATE ROLE"),
  ALTER_ROLE("ALTER ROLE"),
  DROP_ROLE("DROP ROLE"),
  ALTER_SYSTEM("ALTER SYSTEM"),
  VACUUM("VACUUM"),
  ANALYZE("ANALYZE"),
  BEGIN("BEGIN"),
  START_TRANSACTION("START TRANSACTION"),
  COMMIT("COMMIT"),
  ROLLBACK("ROLLBACK"),
  SET("SET"),
  SHOW("SHOW"),
  RESET("RESET"),
  COPY("COPY"),
  /** An empty query string; answered with EmptyQueryResponse rather than CommandComplete. */
  EMPTY("");

  private final String tag;

  CommandTag(String tag) {
    this.tag = tag;
  }

  /** The tag as sent on the wire, before any row count. */
  public String tag() {
    return tag;
  }

  /** Whether the tag carries a row count ({@code SELECT 3}, {@code INSERT 0 1}, {@code COPY 5}). */
  public boolean hasRowCount() {
    return this == SELECT || this == INSERT || this == UPDATE || this == DELETE || this == COPY;
  }
}
