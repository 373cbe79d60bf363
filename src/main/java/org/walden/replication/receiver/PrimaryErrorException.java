package org.walden.replication.receiver;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * An ErrorResponse from the primary, as an exception: severity, SQLSTATE, message, and the optional
 * detail and hint. {@link #getMessage} reads as libpq prints it: {@code FATAL: 28P01: password
 * authentication failed for user "u"}, then the detail and hint.
 */
public final class PrimaryErrorException extends IOException {

  private final String severity;
  private final String sqlState;
  private final String primaryMessage;
  private final Optional<String> detail;
  private final Optional<String> hint;

  public PrimaryErrorException(
      String severity,
      String sqlState,
      String primaryMessage,
      Optional<String> detail,
      Optional<String> hint) {
    super(format(severity, sqlState, primaryMessage, detail, hint));
    this.severity = severity;
    this.sqlState = sqlState;
    this.primaryMessage = primaryMessage;
    this.detail = detail;
    this.hint = hint;
  }

  /** From the fields of an ErrorResponse ({@code V}/{@code S}, {@code C}, {@code M}, …). */
  static PrimaryErrorException fromFields(Map<Character, String> fields) {
    String severity = fields.getOrDefault('V', fields.getOrDefault('S', "ERROR"));
    return new PrimaryErrorException(
        severity,
        fields.getOrDefault('C', "XX000"),
        fields.getOrDefault('M', "(no message)"),
        Optional.ofNullable(fields.get('D')),
        Optional.ofNullable(fields.get('H')));
  }

  private static String format(
      String severity,
      String sqlState,
      String msg,
      Optional<String> detail,
      Optional<String> hint) {
    StringBuilder sb = new StringBuilder();
    sb.append(severity).append(":  ").append(sqlState).append(": ").append(msg);
    detail.ifPresent(d -> sb.append("\nDETAIL:  ").append(d));
    hint.ifPresent(h -> sb.append("\nHINT:  ").append(h));
    return sb.toString();
  }

  public String severity() {
    return severity;
  }

  public String sqlState() {
    return sqlState;
  }

  public String primaryMessage() {
    return primaryMessage;
  }

  public Optional<String> detail() {
    return detail;
  }

  public Optional<String> hint() {
    return hint;
  }
}
