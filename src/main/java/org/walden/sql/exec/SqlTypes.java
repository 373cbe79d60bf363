package org.walden.sql.exec;

import org.walden.sql.parse.ast.TypeName;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.TypeKind;

/**
 * The mapping between PostgreSQL type OIDs and names and the storage engine's {@link ColumnType}s,
 * for the types the executor knows. Stateless.
 */
final class SqlTypes {
  private SqlTypes() {}

  static final int UNSPECIFIED = 0;
  static final int FLOAT4_OID = 700;
  static final int DATE_OID = 1082;
  static final int UNKNOWN_OID = 705;
  static final int VARCHAR_OID = 1043;

  /** The storage type for a parameter or value OID; unknown OIDs (and 0) read as text. */
  static ColumnType ofOid(int oid) {
    return switch (oid) {
      case 21 -> ColumnType.SMALLINT;
      case 23 -> ColumnType.INTEGER;
      case 20 -> ColumnType.BIGINT;
      case 16 -> ColumnType.BOOLEAN;
      case 1043 -> ColumnType.varchar();
      case 1042 -> new ColumnType(TypeKind.BPCHAR, -1);
      case 700, 701 -> ColumnType.FLOAT8;
      case 1700 -> ColumnType.NUMERIC;
      case 1114 -> ColumnType.TIMESTAMP;
      case 1184 -> ColumnType.TIMESTAMPTZ;
      case 17 -> ColumnType.BYTEA;
      case 3220 -> ColumnType.PG_LSN;
      case 1186 -> ColumnType.INTERVAL;
      case 869 -> ColumnType.INET;
      case 26 -> ColumnType.OID;
      case 28 -> ColumnType.XID;
      case 19 -> ColumnType.NAME;
      case 2249 -> ColumnType.RECORD;
      default -> ColumnType.TEXT;
    };
  }

  /** The storage type for a type written in SQL (already normalised by the parser). */
  static ColumnType ofName(TypeName t) {
    return switch (t.name()) {
      case "int2" -> ColumnType.SMALLINT;
      case "int4" -> ColumnType.INTEGER;
      case "int8" -> ColumnType.BIGINT;
      case "bool" -> ColumnType.BOOLEAN;
      case "text" -> ColumnType.TEXT;
      case "varchar" ->
          t.precision() > 0 ? ColumnType.varchar(t.precision()) : ColumnType.varchar();
      case "bpchar" -> ColumnType.bpchar(t.precision() > 0 ? t.precision() : 1);
      case "float8", "float4" -> ColumnType.FLOAT8;
      case "numeric" -> ColumnType.NUMERIC;
      case "timestamp" -> ColumnType.TIMESTAMP;
      case "timestamptz" -> ColumnType.TIMESTAMPTZ;
      case "bytea" -> ColumnType.BYTEA;
      case "pg_lsn" -> ColumnType.PG_LSN;
      case "interval" -> ColumnType.INTERVAL;
      case "inet" -> ColumnType.INET;
      case "oid" -> ColumnType.OID;
      case "xid" -> ColumnType.XID;
      case "name" -> ColumnType.NAME;
      case "date", "time", "timetz", "json", "jsonb", "uuid", "money", "xml" ->
          throw new SqlException("0A000", "type " + t.name() + " is not supported", null, null, 0);
      default -> throw new SqlException("42704", "type \"" + t.name() + "\" does not exist");
    };
  }

  static boolean isText(ColumnType t) {
    TypeKind k = t.kind();
    return k == TypeKind.TEXT
        || k == TypeKind.VARCHAR
        || k == TypeKind.BPCHAR
        || k == TypeKind.NAME;
  }

  static boolean isNumeric(ColumnType t) {
    TypeKind k = t.kind();
    return k.isInteger() || k == TypeKind.NUMERIC || k == TypeKind.FLOAT8;
  }

  /** Rank in the numeric promotion order smallint < integer < bigint < numeric < float8. */
  static int numericRank(ColumnType t) {
    return switch (t.kind()) {
      case SMALLINT -> 0;
      case INTEGER -> 1;
      case BIGINT -> 2;
      case NUMERIC -> 3;
      case FLOAT8 -> 4;
      default -> -1;
    };
  }

  /** Whether values of the two types can be compared with each other. */
  static boolean comparable(ColumnType a, ColumnType b) {
    if (isNumeric(a) && isNumeric(b)) {
      return true;
    }
    if (isText(a) && isText(b)) {
      return true;
    }
    TypeKind x = a.kind();
    TypeKind y = b.kind();
    boolean oid = x == TypeKind.OID || x == TypeKind.XID;
    boolean oid2 = y == TypeKind.OID || y == TypeKind.XID;
    if ((oid && (oid2 || y.isInteger())) || (oid2 && x.isInteger())) {
      return true; // oid = int4, xid = int4 (xideqint4)
    }
    boolean ts = x == TypeKind.TIMESTAMP || x == TypeKind.TIMESTAMPTZ;
    boolean ts2 = y == TypeKind.TIMESTAMP || y == TypeKind.TIMESTAMPTZ;
    return x == y || (ts && ts2);
  }

  /** The name PostgreSQL uses in "function f(integer) does not exist". */
  static String displayName(ColumnType t) {
    return t.kind().pgName();
  }
}
