package org.walden.config;

/** A boolean parameter; accepts PostgreSQL's spellings and unique prefixes, shows on/off. */
public final class BoolSetting extends Setting<Boolean> {

  BoolSetting(
      String name,
      SettingContext context,
      boolean defaultValue,
      String description,
      boolean reported) {
    super(name, context, defaultValue, description, reported);
  }

  @Override
  public String typeName() {
    return "bool";
  }

  @Override
  public Boolean parse(String text) throws ConfigException {
    Boolean b = parseBool(text);
    if (b == null) {
      throw new ConfigException(
          ConfigException.INVALID_PARAMETER_VALUE,
          "parameter \"" + name() + "\" requires a Boolean value",
          null,
          null);
    }
    return b;
  }

  @Override
  public String show(Boolean value) {
    return value ? "on" : "off";
  }

  /**
   * PostgreSQL's {@code parse_bool}: {@code true/false/yes/no} and any non-empty prefix of them,
   * {@code on/off} with at least two letters ("o" alone is ambiguous), {@code 1/0}; any case, no
   * surrounding white space. Returns null for anything else.
   */
  public static Boolean parseBool(String text) {
    int len = text.length();
    if (len == 0) {
      return null;
    }
    switch (Character.toLowerCase(text.charAt(0))) {
      case 't':
        return isPrefixOf(text, "true") ? Boolean.TRUE : null;
      case 'f':
        return isPrefixOf(text, "false") ? Boolean.FALSE : null;
      case 'y':
        return isPrefixOf(text, "yes") ? Boolean.TRUE : null;
      case 'n':
        return isPrefixOf(text, "no") ? Boolean.FALSE : null;
      case 'o':
        if (len >= 2 && isPrefixOf(text, "on")) {
          return Boolean.TRUE;
        }
        if (len >= 2 && isPrefixOf(text, "off")) {
          return Boolean.FALSE;
        }
        return null;
      case '1':
        return len == 1 ? Boolean.TRUE : null;
      case '0':
        return len == 1 ? Boolean.FALSE : null;
      default:
        return null;
    }
  }

  private static boolean isPrefixOf(String text, String word) {
    return text.length() <= word.length() && word.regionMatches(true, 0, text, 0, text.length());
  }
}
