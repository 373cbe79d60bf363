package org.walden.storage.type;

/**
 * The column types Walden stores, with their PostgreSQL type OIDs and {@code typlen} (bytes for
 * fixed-width types, -1 for varlena). {@code rowWidth} is the number of bytes a non-null value
 * takes in the row codec, or -1 for length-prefixed values.
 *
 * <p>Java representation of values (what {@link ColumnType#coerce} returns and the row codec
 * decodes to): smallint {@link Short}, integer {@link Integer}, bigint {@link Long}, boolean {@link
 * Boolean}, text/varchar/bpchar {@link String} (bpchar already blank-padded), double precision
 * {@link Double}, numeric {@link java.math.BigDecimal}, timestamp and timestamptz {@link
 * PgTimestamp}, bytea {@code byte[]}.
 *
 * <p>The kinds after {@code BYTEA} exist for values the server computes (monitoring views and
 * functions), not for table columns ({@link #storable()} is false): pg_lsn {@link
 * org.walden.wal.Lsn}, interval {@link java.time.Duration} (a time-only interval, as the lag
 * columns of {@code pg_stat_replication}), inet {@link String}, oid and xid {@link Long} (unsigned
 * 32-bit), name {@link String}, record {@link String} (its text form, e.g. {@code (a,1)}).
 */
public enum TypeKind {
  SMALLINT(21, 2, 2, "smallint"),
  INTEGER(23, 4, 4, "integer"),
  BIGINT(20, 8, 8, "bigint"),
  BOOLEAN(16, 1, 1, "boolean"),
  TEXT(25, -1, -1, "text"),
  VARCHAR(1043, -1, -1, "character varying"),
  BPCHAR(1042, -1, -1, "character"),
  FLOAT8(701, 8, 8, "double precision"),
  NUMERIC(1700, -1, -1, "numeric"),
  TIMESTAMP(1114, 8, 8, "timestamp without time zone"),
  TIMESTAMPTZ(1184, 8, 8, "timestamp with time zone"),
  BYTEA(17, -1, -1, "bytea"),
  PG_LSN(3220, 8, 8, "pg_lsn"),
  INTERVAL(1186, 16, 16, "interval"),
  INET(869, -1, -1, "inet"),
  OID(26, 4, 4, "oid"),
  XID(28, 4, 4, "xid"),
  NAME(19, 64, -1, "name"),
  RECORD(2249, -1, -1, "record");

  private static final TypeKind[] VALUES = values();

  private final int oid;
  private final int typlen;
  private final int rowWidth;
  private final String pgName;

  TypeKind(int oid, int typlen, int rowWidth, String pgName) {
    this.oid = oid;
    this.typlen = typlen;
    this.rowWidth = rowWidth;
    this.pgName = pgName;
  }

  public int oid() {
    return oid;
  }

  public int typlen() {
    return typlen;
  }

  /** Bytes of a non-null value in a row, or -1 for a length-prefixed value. */
  public int rowWidth() {
    return rowWidth;
  }

  /** PostgreSQL's {@code format_type} name without a modifier. */
  public String pgName() {
    return pgName;
  }

  public boolean isInteger() {
    return this == SMALLINT || this == INTEGER || this == BIGINT;
  }

  /** Whether a table column may have this type (the row codec and catalog know it). */
  public boolean storable() {
    return ordinal() <= BYTEA.ordinal();
  }

  /** The kind with this on-disk code ({@link #ordinal()}); codes are stable: only append. */
  public static TypeKind fromCode(int code) {
    if (code < 0 || code >= VALUES.length) {
      throw new IllegalArgumentException("unknown type code " + code);
    }
    return VALUES[code];
  }
}
