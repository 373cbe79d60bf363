package org.walden.wire;

/**
 * The SQLSTATE codes the wire layer raises itself (PostgreSQL's {@code errcodes.txt} names). The
 * SQL layer is free to use any other five-character code; these are constants only to keep the
 * spelling in one place.
 */
public final class SqlState {
  private SqlState() {}

  public static final String SUCCESSFUL_COMPLETION = "00000";
  public static final String WARNING = "01000";
  public static final String PROTOCOL_VIOLATION = "08P01";
  public static final String FEATURE_NOT_SUPPORTED = "0A000";
  public static final String INVALID_PARAMETER_VALUE = "22023";
  public static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
  public static final String INVALID_AUTHORIZATION_SPECIFICATION = "28000";
  public static final String INVALID_PASSWORD = "28P01";
  public static final String INVALID_CATALOG_NAME = "3D000";
  public static final String INSUFFICIENT_PRIVILEGE = "42501";
  public static final String TOO_MANY_CONNECTIONS = "53300";
  public static final String QUERY_CANCELED = "57014";
  public static final String ADMIN_SHUTDOWN = "57P01";
  public static final String INTERNAL_ERROR = "XX000";
}
