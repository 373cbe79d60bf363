package org.walden.config;

/**
 * A string parameter. Any text is accepted unless the declaration has a {@link Check}, which plays
 * the part of PostgreSQL's check hook (e.g. {@code recovery_target_lsn} must be an LSN).
 */
public final class StringSetting extends Setting<String> {

  /** Validates a candidate value; throws with PostgreSQL's message if it is not acceptable. */
  @FunctionalInterface
  interface Check {
    void check(String name, String value) throws ConfigException;
  }

  private final Check check;

  StringSetting(
      String name,
      SettingContext context,
      String defaultValue,
      String description,
      boolean reported,
      Check check) {
    super(name, context, defaultValue, description, reported);
    this.check = check;
  }

  @Override
  public String typeName() {
    return "string";
  }

  @Override
  public String parse(String text) throws ConfigException {
    if (check != null) {
      check.check(name(), text);
    }
    return text;
  }

  @Override
  public String show(String value) {
    return value;
  }
}
