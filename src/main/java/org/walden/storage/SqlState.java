package org.walden.storage;

/** The SQLSTATE codes the storage layer raises (PostgreSQL's errcodes.txt names). */
public final class SqlState {
  private SqlState() {}

  public static final String STRING_DATA_RIGHT_TRUNCATION = "22001";
  public static final String NUMERIC_VALUE_OUT_OF_RANGE = "22003";
  public static final String DATETIME_FIELD_OVERFLOW = "22008";
  public static final String INVALID_TEXT_REPRESENTATION = "22P02";
  public static final String NOT_NULL_VIOLATION = "23502";
  public static final String UNIQUE_VIOLATION = "23505";
  public static final String READ_ONLY_SQL_TRANSACTION = "25006";
  public static final String IN_FAILED_SQL_TRANSACTION = "25P02";
  public static final String SERIALIZATION_FAILURE = "40001";
  public static final String DEADLOCK_DETECTED = "40P01";
  public static final String UNDEFINED_TABLE = "42P01";
  public static final String UNDEFINED_COLUMN = "42703";
  public static final String DUPLICATE_TABLE = "42P07";
  public static final String DUPLICATE_COLUMN = "42701";
  public static final String DUPLICATE_OBJECT = "42710";
  public static final String UNDEFINED_OBJECT = "42704";
  public static final String INVALID_TABLE_DEFINITION = "42P16";
  public static final String LOCK_NOT_AVAILABLE = "55P03";
  public static final String QUERY_CANCELED = "57014";
  public static final String FEATURE_NOT_SUPPORTED = "0A000";
  public static final String INTERNAL_ERROR = "XX000";
}
