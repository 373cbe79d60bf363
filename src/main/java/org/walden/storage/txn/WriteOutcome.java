package org.walden.storage.txn;

/**
 * What an {@code update}, {@code delete} or {@code lockRow} did.
 *
 * <ul>
 *   <li>{@link #DONE}: the row was written (or locked).
 *   <li>{@link #NOT_FOUND}: there is no live row under the key (never was, or deleted, also
 *       concurrently, as PostgreSQL skips a row deleted by the transaction it waited for).
 *   <li>{@code changed(row)}: READ COMMITTED only: the row the caller based its change on is no
 *       longer the newest; {@link #row()} is the newest committed (and now locked-for-check) image.
 *       The caller re-evaluates its WHERE clause on it and calls again with that row as its basis,
 *       as PostgreSQL's EvalPlanQual does.
 * </ul>
 */
public final class WriteOutcome {

  public enum Kind {
    DONE,
    NOT_FOUND,
    CHANGED
  }

  public static final WriteOutcome DONE = new WriteOutcome(Kind.DONE, null);
  public static final WriteOutcome NOT_FOUND = new WriteOutcome(Kind.NOT_FOUND, null);

  private final Kind kind;
  private final byte[] row;

  private WriteOutcome(Kind kind, byte[] row) {
    this.kind = kind;
    this.row = row;
  }

  static WriteOutcome changed(byte[] newest) {
    return new WriteOutcome(Kind.CHANGED, newest);
  }

  public Kind kind() {
    return kind;
  }

  /** For CHANGED: the newest row image. */
  public byte[] row() {
    return row;
  }

  @Override
  public String toString() {
    return kind.name();
  }
}
