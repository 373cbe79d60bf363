package org.walden.sql.exec;

/**
 * A compiled scalar expression: evaluates against the row, parameters and aggregate results held in
 * an {@link EvalContext}. Returns null for SQL NULL. Implementations are immutable and shared by
 * every execution of a {@link Prepared} statement, so they keep no per-execution state.
 */
@FunctionalInterface
interface Eval {
  Object eval(EvalContext c);
}
