package org.walden.sql.exec;

import java.util.List;
import org.walden.sql.parse.ast.Statement;

/**
 * A statement ready to run: names resolved, parameter types inferred (where the client gave 0),
 * result columns known. Made by {@link Executor#prepare}; immutable; may be executed many times
 * (pgjdbc's and pgbench's prepared statements) while the catalog does not change — if it does,
 * {@link Executor#execute} re-prepares or fails with 0A000 "cached plan must not change result
 * type" as PostgreSQL does.
 */
public interface Prepared {

  Statement statement();

  /** Parameter type OIDs, one per $n. */
  int[] parameterTypes();

  /** The columns the statement returns (SELECT, RETURNING, SHOW); empty for none (NoData). */
  List<ResultColumn> resultColumns();
}
