package org.walden.sql.exec;

import java.util.List;

/** The simple {@link ResultCursor}s: finished commands and materialised row lists. */
final class Cursors {
  private Cursors() {}

  /** A command that has done its work and returns no rows. */
  static ResultCursor done(String tag) {
    return new ResultCursor() {
      @Override
      public boolean next() {
        return false;
      }

      @Override
      public Object[] row() {
        throw new IllegalStateException("no rows");
      }

      @Override
      public String commandTag() {
        return tag;
      }
    };
  }

  /** Rows already computed; the tag is final from the start. */
  static ResultCursor rows(List<Object[]> rows, String tag) {
    return new ResultCursor() {
      private int i = -1;

      @Override
      public boolean next() {
        if (i + 1 < rows.size()) {
          i++;
          return true;
        }
        i = rows.size();
        return false;
      }

      @Override
      public Object[] row() {
        return rows.get(i);
      }

      @Override
      public String commandTag() {
        return tag;
      }
    };
  }
}
