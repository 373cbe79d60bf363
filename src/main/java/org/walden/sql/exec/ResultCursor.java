package org.walden.sql.exec;

/**
 * The rows of one execution, pulled by the session (so Execute's row limit can stop early and
 * resume: PortalSuspended). Statements without a result (INSERT without RETURNING, DDL) have done
 * their work when the cursor is returned and yield no rows.
 *
 * <p>Values are Java objects of the column's type (see {@link PgValues}); the session encodes them
 * in the text or binary format the client asked for.
 */
public interface ResultCursor {

  /** Advances to the next row; false at the end. */
  boolean next();

  /** The current row's values (valid until the next call). */
  Object[] row();

  /** The CommandComplete tag, e.g. "SELECT 3", "UPDATE 1", "INSERT 0 1"; final after the end. */
  String commandTag();

  /** Releases anything held. Idempotent. */
  default void close() {}
}
