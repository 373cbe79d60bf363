package org.walden.server;

import java.util.List;
import org.walden.sql.exec.Prepared;
import org.walden.sql.exec.ResultColumn;
import org.walden.sql.parse.ast.Statement;

/**
 * A prepared statement as a session keeps it (named, or the unnamed one): either the executor's
 * {@link Prepared}, or a command the session layer runs itself (transaction control, SET, SHOW,
 * COPY, VACUUM), which needs no plan but must still describe its parameters and result. Immutable.
 */
sealed interface Plan {

  Statement statement();

  /** The SQL text, for error reports. */
  String sql();

  int[] parameterTypes();

  List<ResultColumn> resultColumns();

  /** A statement the executor prepared. */
  record Executed(Prepared prepared, String sql) implements Plan {
    @Override
    public Statement statement() {
      return prepared.statement();
    }

    @Override
    public int[] parameterTypes() {
      return prepared.parameterTypes();
    }

    @Override
    public List<ResultColumn> resultColumns() {
      return prepared.resultColumns();
    }
  }

  /** A command of the session layer's own. */
  record Utility(Statement statement, String sql, int[] parameterTypes, List<ResultColumn> columns)
      implements Plan {
    @Override
    public List<ResultColumn> resultColumns() {
      return columns;
    }
  }
}
