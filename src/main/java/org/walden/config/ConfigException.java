package org.walden.config;

import java.util.Objects;

/**
 * A configuration error as PostgreSQL reports it: SQLSTATE, primary message, and optional detail,
 * hint and context ({@code line 3 of configuration file "…"}). Raised for unknown parameter names,
 * unparsable or out-of-range values, parameters that cannot be changed in the requested way, and
 * configuration-file syntax errors.
 *
 * <p>The primary message is {@link #getMessage()}; the wire layer turns the fields into an {@code
 * ErrorResponse}, the server log prints them as PostgreSQL does ({@code DETAIL:}, {@code HINT:},
 * {@code CONTEXT:} lines). Immutable.
 */
public final class ConfigException extends Exception {

  /** 22023 invalid_parameter_value. */
  public static final String INVALID_PARAMETER_VALUE = "22023";

  /** 42704 undefined_object: an unknown parameter name. */
  public static final String UNDEFINED_OBJECT = "42704";

  /** 42601 syntax_error: a configuration file that does not parse. */
  public static final String SYNTAX_ERROR = "42601";

  /** 55P02 cant_change_runtime_param. */
  public static final String CANT_CHANGE_RUNTIME_PARAM = "55P02";

  /** 42501 insufficient_privilege. */
  public static final String INSUFFICIENT_PRIVILEGE = "42501";

  /** 54000 program_limit_exceeded (include nesting too deep, too many syntax errors). */
  public static final String PROGRAM_LIMIT_EXCEEDED = "54000";

  /** 58P01 undefined_file: an included configuration file that does not exist. */
  public static final String UNDEFINED_FILE = "58P01";

  /** F0000 config_file_error: a configuration file that could not be read or applied. */
  public static final String CONFIG_FILE_ERROR = "F0000";

  private final String sqlState;
  private final String detail;
  private final String hint;
  private final String context;

  public ConfigException(String sqlState, String message, String detail, String hint) {
    this(sqlState, message, detail, hint, null, null);
  }

  private ConfigException(
      String sqlState,
      String message,
      String detail,
      String hint,
      String context,
      Throwable cause) {
    super(Objects.requireNonNull(message), cause);
    this.sqlState = Objects.requireNonNull(sqlState);
    this.detail = detail;
    this.hint = hint;
    this.context = context;
  }

  public static ConfigException invalidValue(String name, String value, String hint) {
    return new ConfigException(
        INVALID_PARAMETER_VALUE,
        "invalid value for parameter \"" + name + "\": \"" + value + "\"",
        null,
        hint);
  }

  public static ConfigException unrecognized(String name) {
    return new ConfigException(
        UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"", null, null);
  }

  /** An I/O failure reading a configuration file, with the cause attached. */
  public static ConfigException fileError(String sqlState, String message, Throwable cause) {
    return new ConfigException(sqlState, message, null, null, null, cause);
  }

  /** The same error with a CONTEXT line naming where it came from (file and line). */
  public ConfigException withContext(String newContext) {
    ConfigException e =
        new ConfigException(sqlState, getMessage(), detail, hint, newContext, getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  public String sqlState() {
    return sqlState;
  }

  /** The detail line, or null. */
  public String detail() {
    return detail;
  }

  /** The hint line, or null. */
  public String hint() {
    return hint;
  }

  /** Where the error arose, e.g. {@code line 3 of configuration file "/d/walden.conf"}, or null. */
  public String context() {
    return context;
  }

  /** All fields in the server log's layout, for log lines and test failure messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder(getMessage());
    if (detail != null) {
      sb.append("\nDETAIL:  ").append(detail);
    }
    if (hint != null) {
      sb.append("\nHINT:  ").append(hint);
    }
    if (context != null) {
      sb.append("\nCONTEXT:  ").append(context);
    }
    return sb.toString();
  }
}
