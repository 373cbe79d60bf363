package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code ALTER SYSTEM SET name {TO | =} value, … | DEFAULT}, {@code ALTER SYSTEM RESET name} and
 * {@code ALTER SYSTEM RESET ALL}: an edit of {@code postgresql.auto.conf}.
 *
 * @param name the parameter name, case-folded; {@code all} with {@link #isReset} for RESET ALL
 * @param values the values as text (as in {@link SetStmt}); empty for DEFAULT and for RESET
 * @param reset whether this was written as RESET
 */
public record AlterSystemStmt(String name, List<String> values, boolean reset)
    implements Statement {

  /** Whether the entry is removed (RESET, or SET … TO DEFAULT). */
  public boolean isReset() {
    return reset || values.isEmpty();
  }

  /** RESET ALL. */
  public boolean isResetAll() {
    return reset && name.equals("all");
  }

  @Override
  public CommandTag commandTag() {
    return CommandTag.ALTER_SYSTEM;
  }
}
