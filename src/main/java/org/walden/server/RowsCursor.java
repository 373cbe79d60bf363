package org.walden.server;

import java.util.List;
import org.walden.sql.exec.ResultCursor;

/** A cursor over rows computed in advance (SHOW) or none at all (SET, BEGIN…). */
final class RowsCursor implements ResultCursor {
  private final List<Object[]> rows;
  private final String tag;
  private int next;
  private Object[] current;

  RowsCursor(List<Object[]> rows, String tag) {
    this.rows = rows;
    this.tag = tag;
  }

  static RowsCursor empty(String tag) {
    return new RowsCursor(List.of(), tag);
  }

  @Override
  public boolean next() {
    if (next >= rows.size()) {
      return false;
    }
    current = rows.get(next++);
    return true;
  }

  @Override
  public Object[] row() {
    return current;
  }

  @Override
  public String commandTag() {
    return tag;
  }
}
