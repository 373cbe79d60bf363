package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code SET [SESSION | LOCAL] name {TO | =} value, … | DEFAULT}, and the special forms SET TIME
 * ZONE (name {@code timezone}), SET NAMES (name {@code client_encoding}) and SET SCHEMA (name
 * {@code search_path}).
 *
 * @param name the parameter name, case-folded ({@code a.b} for a qualified custom name)
 * @param values the values as text (string contents, numbers as written, identifiers folded, ON /
 *     TRUE / FALSE as {@code on}/{@code true}/{@code false}); empty for DEFAULT
 */
public record SetStmt(boolean local, String name, List<String> values) implements Statement {

  /** Whether this is {@code SET … TO DEFAULT} (or SET TIME ZONE LOCAL/DEFAULT). */
  public boolean isDefault() {
    return values.isEmpty();
  }

  @Override
  public CommandTag commandTag() {
    return CommandTag.SET;
  }
}
