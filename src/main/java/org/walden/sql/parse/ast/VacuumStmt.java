package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code VACUUM [options] [ANALYZE] [tables]} or {@code ANALYZE [VERBOSE] [tables]}: a no-op for an
 * in-memory store, parsed so that pgbench's maintenance commands succeed. Options such as FULL,
 * FREEZE and VERBOSE are accepted and dropped.
 *
 * @param vacuum true for VACUUM (tag VACUUM), false for a bare ANALYZE (tag ANALYZE)
 * @param analyze true if ANALYZE was asked for (always true when {@code vacuum} is false)
 * @param tables the tables named, empty for "all tables"
 */
public record VacuumStmt(boolean vacuum, boolean analyze, List<QualifiedName> tables)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return vacuum ? CommandTag.VACUUM : CommandTag.ANALYZE;
  }
}
