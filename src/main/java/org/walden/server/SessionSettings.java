package org.walden.server;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.walden.config.Config;
import org.walden.config.ConfigException;
import org.walden.config.Setting;
import org.walden.config.SettingContext;
import org.walden.config.Settings;

/**
 * One session's view of the configuration parameters (PostgreSQL's GUC stack, reduced to what
 * sessions need): {@code SET}, {@code SET LOCAL}, {@code RESET}, {@code SHOW}, and the
 * ParameterStatus reports of GUC_REPORT parameters.
 *
 * <p><b>Layers.</b> A value is looked up in order: the transaction's {@code SET LOCAL} values, the
 * session's {@code SET} values, the values the client sent in the startup packet (what {@code
 * RESET} returns to, as in PostgreSQL), and the server's configuration (which follows reloads).
 * Custom dotted names ({@code myapp.x}) are placeholders holding text.
 *
 * <p><b>Transactions.</b> {@code SET} inside a transaction that rolls back is undone (the first
 * change of each name in a transaction records the old session value); {@code SET LOCAL} values
 * vanish at the transaction's end either way. The owning {@link Session} calls {@link
 * #transactionEnded}.
 *
 * <p><b>Reports.</b> {@link #changedReports} lists the GUC_REPORT parameters whose visible value
 * differs from the one last sent, so the session sends ParameterStatus only for real changes.
 *
 * <p>Session thread only; no locking.
 */
final class SessionSettings {
  private static final Object ABSENT = new Object();

  private final Supplier<Config> config;
  private final Map<String, Object> startup = new HashMap<>();
  private final Map<String, Object> session = new HashMap<>();
  private final Map<String, Object> local = new HashMap<>();

  /** The session value before this transaction first changed it (ABSENT = was unset). */
  private final Map<String, Object> undo = new HashMap<>();

  /** What the client last heard in ParameterStatus, by setting name. */
  private final Map<String, String> reported = new HashMap<>();

  private boolean dirty;

  SessionSettings(Supplier<Config> config) {
    this.config = config;
  }

  /**
   * Applies the startup packet's settings (client_encoding, DateStyle, TimeZone, …) as the
   * session's reset values, and records what the login sequence has already reported.
   *
   * @throws ConfigException for an unknown name or a bad value (the login then fails)
   */
  void applyStartup(Map<String, String> settings, boolean superuser) throws ConfigException {
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (key.contains(".")) {
        startup.put(key, e.getValue());
        continue;
      }
      Setting<?> s = Settings.lookup(key);
      if (s.context() != SettingContext.USER && s.context() != SettingContext.SUPERUSER) {
        // PostgreSQL ignores a startup value equal to a fixed setting's; anything else is fatal
        if (e.getValue().equalsIgnoreCase(config.get().show(s))) {
          continue;
        }
      }
      SettingContext.checkSessionSet(s, superuser);
      startup.put(s.key(), parse(s, e.getValue()));
    }
    for (Setting<?> s : Settings.all()) {
      if (s.isReported()) {
        reported.put(s.name(), show(s));
      }
    }
  }

  /** The visible typed value of a declared setting. */
  Object value(Setting<?> s) {
    String k = s.key();
    Object v = local.get(k);
    if (v == null) {
      v = session.get(k);
    }
    if (v == null) {
      v = startup.get(k);
    }
    return v != null ? v : config.get().get(s);
  }

  /** The SHOW form of a declared setting. */
  String show(Setting<?> s) {
    return s.showUnchecked(value(s));
  }

  /** The SHOW form of {@code name} (a declared setting or a custom dotted one), or null. */
  String show(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    if (key.contains(".")) {
      Object v = local.get(key);
      if (v == null) {
        v = session.get(key);
      }
      if (v == null) {
        v = startup.get(key);
      }
      return v == null ? null : (String) v;
    }
    return Settings.find(key).map(this::show).orElse(null);
  }

  /**
   * {@code SET [LOCAL] name = value}; {@code value} null means DEFAULT.
   *
   * @return the new SHOW form
   */
  String set(String name, String value, boolean isLocal, boolean superuser) throws ConfigException {
    String key = name.toLowerCase(Locale.ROOT);
    Object typed;
    if (key.contains(".")) {
      typed = value;
    } else {
      Setting<?> s = Settings.lookup(key);
      SettingContext.checkSessionSet(s, superuser);
      typed = value == null ? null : parse(s, value);
    }
    rememberUndo(key);
    if (isLocal) {
      local.put(key, typed == null ? defaultFor(key) : typed);
    } else {
      local.remove(key);
      if (typed == null) {
        session.remove(key);
      } else {
        session.put(key, typed);
      }
    }
    dirty = true;
    String shown = show(key);
    return shown == null ? "" : shown;
  }

  /** {@code RESET name} / {@code RESET ALL}. */
  void reset(String name, boolean superuser) throws ConfigException {
    if (name.equalsIgnoreCase("all")) {
      for (String key : new ArrayList<>(session.keySet())) {
        rememberUndo(key);
        session.remove(key);
      }
      local.clear();
      dirty = true;
      return;
    }
    set(name, null, false, superuser);
  }

  private Object defaultFor(String key) {
    Object v = startup.get(key);
    if (v != null) {
      return v;
    }
    return Settings.find(key).<Object>map(s -> config.get().get(s)).orElse("");
  }

  private void rememberUndo(String key) {
    undo.computeIfAbsent(key, k -> session.containsKey(k) ? session.get(k) : ABSENT);
  }

  /** Ends the transaction's SET LOCALs; on rollback also undoes its SETs. */
  void transactionEnded(boolean committed) {
    if (!committed) {
      for (Map.Entry<String, Object> e : undo.entrySet()) {
        if (e.getValue() == ABSENT) {
          session.remove(e.getKey());
        } else {
          session.put(e.getKey(), e.getValue());
        }
      }
    }
    if (!undo.isEmpty() || !local.isEmpty()) {
      dirty = true;
    }
    undo.clear();
    local.clear();
  }

  /** GUC_REPORT parameters whose value changed since last reported; marks them reported. */
  Map<String, String> changedReports() {
    if (!dirty) {
      return Map.of();
    }
    dirty = false;
    Map<String, String> out = null;
    for (Setting<?> s : Settings.all()) {
      if (!s.isReported()) {
        continue;
      }
      String now = show(s);
      if (!now.equals(reported.get(s.name()))) {
        reported.put(s.name(), now);
        if (out == null) {
          out = new LinkedHashMap<>();
        }
        out.put(s.name(), now);
      }
    }
    return out == null ? Map.of() : out;
  }

  /** SHOW ALL's rows: name, setting, description, ordered by name. */
  List<String[]> showAll() {
    List<String[]> rows = new ArrayList<>();
    for (Setting<?> s : Settings.all()) {
      rows.add(new String[] {s.name(), show(s), s.description()});
    }
    rows.sort(Comparator.comparing(r -> r[0].toLowerCase(Locale.ROOT)));
    return rows;
  }

  // ---- parsing with the checks PostgreSQL's hooks make ----

  private static Object parse(Setting<?> s, String text) throws ConfigException {
    Object v = s.parse(text);
    return switch (s.key()) {
      case "timezone" -> timeZone(s.name(), (String) v);
      case "datestyle" -> dateStyle(s.name(), (String) v);
      case "client_encoding" -> clientEncoding((String) v);
      default -> v;
    };
  }

  private static String timeZone(String name, String v) throws ConfigException {
    String t = v.strip();
    if (t.equalsIgnoreCase("utc") || t.equalsIgnoreCase("gmt")) {
      return t.toUpperCase(Locale.ROOT);
    }
    try {
      return ZoneId.of(t).getId();
    } catch (DateTimeException e) {
      throw ConfigException.invalidValue(name, v, null);
    }
  }

  /**
   * PostgreSQL's normalisation: output style, then field order ({@code ISO} → {@code ISO, MDY}).
   */
  private static String dateStyle(String name, String v) throws ConfigException {
    String style = null;
    String order = null;
    for (String part : v.split("[,\\s]+")) {
      String p = part.strip().toUpperCase(Locale.ROOT);
      switch (p) {
        case "" -> {}
        case "ISO" -> style = "ISO";
        case "SQL" -> style = "SQL";
        case "POSTGRES" -> style = "Postgres";
        case "GERMAN" -> style = "German";
        case "DMY", "EURO", "EUROPEAN" -> order = "DMY";
        case "MDY", "US", "NONEURO", "NONEUROPEAN" -> order = "MDY";
        case "YMD" -> order = "YMD";
        case "DEFAULT" -> {}
        default -> throw ConfigException.invalidValue(name, v, null);
      }
    }
    return (style == null ? "ISO" : style) + ", " + (order == null ? "MDY" : order);
  }

  private static String clientEncoding(String v) throws ConfigException {
    String e = v.strip().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    if (e.equals("UTF8") || e.equals("UNICODE")) {
      return "UTF8";
    }
    if (e.equals("SQLASCII")) {
      return "SQL_ASCII";
    }
    throw new ConfigException(
        "0A000",
        "conversion between " + v + " and UTF8 is not supported",
        null,
        "Walden speaks UTF8 only.");
  }
}
