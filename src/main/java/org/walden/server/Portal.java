package org.walden.server;

import org.walden.sql.exec.ResultCursor;

/**
 * A bound statement ready to run (PostgreSQL's portal): the plan, the decoded parameters, the
 * result format of each column, and — once the first Execute has started it — the open cursor, so
 * that an Execute with a row limit can stop (PortalSuspended) and the next one resume.
 *
 * <p>Lifecycle: made by Bind; dropped by Close, by a Bind that reuses its name (unnamed only), or
 * at the end of the transaction it belongs to (the cursor is closed then). Session thread only.
 */
final class Portal {
  final String name;
  final Plan plan;
  final Object[] parameters;
  final short[] resultFormats;

  /** Null until the first Execute. */
  ResultCursor cursor;

  /** The command tag, once the cursor is exhausted. */
  String completedTag;

  Portal(String name, Plan plan, Object[] parameters, short[] resultFormats) {
    this.name = name;
    this.plan = plan;
    this.parameters = parameters;
    this.resultFormats = resultFormats;
  }

  void close() {
    if (cursor != null) {
      cursor.close();
    }
  }
}
