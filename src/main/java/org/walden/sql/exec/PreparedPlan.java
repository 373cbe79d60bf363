package org.walden.sql.exec;

import java.util.List;
import org.walden.sql.parse.ast.Statement;

/**
 * The executor's {@link Prepared}: the statement, its final parameter types, result columns and
 * compiled {@link Plan}. {@code requestedTypes} keeps the OIDs the client gave, for re-preparing
 * after a catalog change. Immutable.
 */
record PreparedPlan(
    Statement statement,
    int[] parameterTypesArray,
    int[] requestedTypes,
    List<ResultColumn> resultColumns,
    Plan plan)
    implements Prepared {

  @Override
  public int[] parameterTypes() {
    return parameterTypesArray.clone();
  }
}
