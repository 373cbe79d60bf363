package org.walden.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of every setting's effective value. Values come, in increasing priority,
 * from the declared defaults, the configuration files ({@code walden.conf} then {@code
 * postgresql.auto.conf}, the last entry for a name winning), the {@code -c} command line, and
 * server overrides ({@link #withOverride}, e.g. {@code wal_segment_size} from the control file).
 *
 * <p>Lifecycle: the node {@link #load loads} one at start-up (any error is fatal there, as in
 * PostgreSQL) and publishes it; on SIGHUP or {@code pg_reload_conf()} it calls {@link #reload()}
 * and publishes the new snapshot. Readers keep whatever snapshot they hold, so a reload never
 * changes a value under a running operation; {@link #get} is an array read with no locking.
 *
 * <p>Reload follows PostgreSQL's rules: a file that does not parse changes nothing; a bad value
 * leaves that one setting as it was; a changed restart-only ({@link SettingContext#POSTMASTER})
 * setting keeps its running value and is reported as pending restart; a setting removed from the
 * file goes back to its default; a value given on the command line outranks the files.
 */
public final class Config {

  // All fields are written only by the constructor and never after: arrays are private copies
  // that no method hands out, which is what makes a snapshot safe to share without locks.

  private final ConfigSources sources;

  /** By {@code Setting.index()}; every slot holds a value of the setting's type. */
  private final Object[] values;

  private final SettingSource[] origins;

  /** The file entry a value came from, or null if it did not come from a file. */
  private final ConfigFileParser.Entry[] entries;

  private final boolean[] pendingRestart;

  private Config(
      ConfigSources sources,
      Object[] values,
      SettingSource[] origins,
      ConfigFileParser.Entry[] entries,
      boolean[] pendingRestart) {
    this.sources = sources;
    this.values = values;
    this.origins = origins;
    this.entries = entries;
    this.pendingRestart = pendingRestart;
  }

  /** Every setting at its default (a shared instance). */
  public static Config defaults() {
    return Defaults.INSTANCE;
  }

  /** Holder idiom: built on first use, after {@link Settings} is initialized. */
  private static final class Defaults {
    static final Config INSTANCE;

    static {
      try {
        INSTANCE = load(ConfigSources.commandLineOnly(Map.of()));
      } catch (ConfigException e) {
        throw new IllegalStateException("declared defaults must load", e);
      }
    }
  }

  /**
   * Reads the sources and builds the start-up snapshot.
   *
   * @throws ConfigException the first problem found (with file and line in its context); any
   *     further ones are attached as suppressed exceptions
   */
  public static Config load(ConfigSources sources) throws ConfigException {
    Evaluation ev = evaluate(sources, null);
    List<ConfigException> errors = new ArrayList<>(ev.parseErrors);
    errors.addAll(ev.valueErrors);
    if (!errors.isEmpty()) {
      ConfigException first = errors.get(0);
      for (int i = 1; i < errors.size(); i++) {
        first.addSuppressed(errors.get(i));
      }
      throw first;
    }
    return new Config(
        sources, ev.values, ev.origins, ev.entries, new boolean[Settings.all().size()]);
  }

  /** Reads the sources again and builds the next snapshot; see the class comment for rules. */
  public ReloadResult reload() {
    Evaluation ev = evaluate(sources, this);
    if (!ev.parseErrors.isEmpty()) {
      List<ConfigException> errors = new ArrayList<>(ev.parseErrors);
      errors.addAll(ev.valueErrors);
      return new ReloadResult(this, List.of(), List.of(), errors, false);
    }
    int n = values.length;
    Object[] v = ev.values;
    SettingSource[] o = ev.origins;
    ConfigFileParser.Entry[] e = ev.entries;
    boolean[] pending = new boolean[n];
    List<Setting<?>> changed = new ArrayList<>();
    List<Setting<?>> restart = new ArrayList<>();
    for (Setting<?> s : Settings.all()) {
      int i = s.index();
      boolean restartOnly = s.context() == SettingContext.POSTMASTER;
      if (ev.invalid[i]) {
        // A bad value changes nothing: the running value, its source and its pending state stay.
        keep(i, v, o, e);
        pending[i] = pendingRestart[i];
      } else if (Objects.equals(values[i], v[i])) {
        if (restartOnly) {
          // Same value from another place (say, removed from the file but equal to the
          // default): report the source the running value really came from.
          keep(i, v, o, e);
        }
      } else if (restartOnly) {
        keep(i, v, o, e);
        pending[i] = true;
        restart.add(s);
      } else {
        changed.add(s);
      }
    }
    Config next = new Config(sources, v, o, e, pending);
    return new ReloadResult(next, changed, restart, ev.valueErrors, true);
  }

  private void keep(int i, Object[] v, SettingSource[] o, ConfigFileParser.Entry[] e) {
    v[i] = values[i];
    o[i] = origins[i];
    e[i] = entries[i];
  }

  /** This snapshot with {@code setting} forced to {@code value} (source {@code override}). */
  public <T> Config withOverride(Setting<T> setting, T value) {
    Objects.requireNonNull(value);
    try {
      // Round-trip through the text form: checks type and bounds with the setting's own rules.
      setting.parse(setting.show(value));
    } catch (ConfigException | ClassCastException ex) {
      throw new IllegalArgumentException(
          "invalid override for " + setting.name() + ": " + value, ex);
    }
    Object[] v = values.clone();
    SettingSource[] o = origins.clone();
    ConfigFileParser.Entry[] e = entries.clone();
    v[setting.index()] = value;
    o[setting.index()] = SettingSource.OVERRIDE;
    e[setting.index()] = null;
    return new Config(sources, v, o, e, pendingRestart.clone());
  }

  /** The effective value. */
  public <T> T get(Setting<T> setting) {
    return setting.cast(values[setting.index()]);
  }

  /** The value as {@code SHOW} prints it. */
  public String show(Setting<?> setting) {
    return setting.showUnchecked(values[setting.index()]);
  }

  /**
   * {@code SHOW name}.
   *
   * @throws ConfigException 42704 for an unknown name
   */
  public String show(String name) throws ConfigException {
    return show(Settings.lookup(name));
  }

  public SettingSource source(Setting<?> setting) {
    return origins[setting.index()];
  }

  /** The file and line the value came from, if it came from a file. */
  public Optional<ConfigFileParser.Entry> sourceEntry(Setting<?> setting) {
    return Optional.ofNullable(entries[setting.index()]);
  }

  /** True if the files ask for a value of a restart-only setting that is not running yet. */
  public boolean isPendingRestart(Setting<?> setting) {
    return pendingRestart[setting.index()];
  }

  public ConfigSources sources() {
    return sources;
  }

  // ---- evaluation ------------------------------------------------------------------------------

  /** The values the sources ask for, before reload rules decide what to apply. */
  private static final class Evaluation {
    final Object[] values;
    final SettingSource[] origins;
    final ConfigFileParser.Entry[] entries;
    final boolean[] invalid;
    final List<ConfigException> parseErrors = new ArrayList<>();
    final List<ConfigException> valueErrors = new ArrayList<>();

    Evaluation(int n) {
      values = new Object[n];
      origins = new SettingSource[n];
      entries = new ConfigFileParser.Entry[n];
      invalid = new boolean[n];
    }
  }

  private static Evaluation evaluate(ConfigSources sources, Config previous) {
    List<Setting<?>> all = Settings.all();
    Evaluation ev = new Evaluation(all.size());
    for (Setting<?> s : all) {
      ev.values[s.index()] = s.defaultValue();
      ev.origins[s.index()] = SettingSource.DEFAULT;
    }
    List<ConfigFileParser.Entry> fileEntries = new ArrayList<>();
    sources
        .configFile()
        .ifPresent(f -> collect(ConfigFileParser.parse(f), fileEntries, ev.parseErrors));
    sources
        .autoConfFile()
        .ifPresent(f -> collect(ConfigFileParser.parseIfExists(f), fileEntries, ev.parseErrors));
    if (!ev.parseErrors.isEmpty()) {
      return ev;
    }
    // Only the last entry for a name counts (PostgreSQL ignores the earlier duplicates outright,
    // so an invalid earlier entry is no error).
    Map<String, ConfigFileParser.Entry> last = new HashMap<>();
    List<ConfigFileParser.Entry> ordered = new ArrayList<>();
    for (ConfigFileParser.Entry en : fileEntries) {
      last.put(en.name().toLowerCase(java.util.Locale.ROOT), en);
    }
    for (ConfigFileParser.Entry en : fileEntries) {
      if (last.get(en.name().toLowerCase(java.util.Locale.ROOT)) == en) {
        ordered.add(en);
      }
    }
    for (ConfigFileParser.Entry en : ordered) {
      Optional<Setting<?>> found = Settings.find(en.name());
      if (found.isEmpty()) {
        ev.valueErrors.add(
            new ConfigException(
                ConfigException.UNDEFINED_OBJECT,
                "unrecognized configuration parameter \""
                    + en.name()
                    + "\" in file \""
                    + en.file()
                    + "\" line "
                    + en.line(),
                null,
                null));
        continue;
      }
      Setting<?> s = found.get();
      try {
        ev.values[s.index()] = parseForServer(s, en.value());
        ev.origins[s.index()] = SettingSource.CONFIGURATION_FILE;
        ev.entries[s.index()] = en;
      } catch (ConfigException ex) {
        ev.valueErrors.add(ex.withContext(en.context()));
        ev.invalid[s.index()] = true;
      }
    }
    for (Map.Entry<String, String> c : sources.commandLine().entrySet()) {
      try {
        Setting<?> s = Settings.lookup(c.getKey());
        ev.values[s.index()] = parseForServer(s, c.getValue());
        ev.origins[s.index()] = SettingSource.COMMAND_LINE;
        ev.entries[s.index()] = null;
        ev.invalid[s.index()] = false;
      } catch (ConfigException ex) {
        ev.valueErrors.add(ex);
      }
    }
    if (previous != null) {
      for (Setting<?> s : all) {
        if (previous.origins[s.index()] == SettingSource.OVERRIDE) {
          ev.values[s.index()] = previous.values[s.index()];
          ev.origins[s.index()] = SettingSource.OVERRIDE;
          ev.entries[s.index()] = null;
          ev.invalid[s.index()] = false;
        }
      }
    }
    return ev;
  }

  private static void collect(
      ConfigFileParser.Result r,
      List<ConfigFileParser.Entry> entries,
      List<ConfigException> errors) {
    entries.addAll(r.entries());
    errors.addAll(r.errors());
  }

  /** Parses a value from a file or the command line, where read-only settings are refused. */
  private static Object parseForServer(Setting<?> s, String text) throws ConfigException {
    if (s.context() == SettingContext.INTERNAL) {
      throw new ConfigException(
          ConfigException.CANT_CHANGE_RUNTIME_PARAM,
          "parameter \"" + s.name() + "\" cannot be changed",
          null,
          null);
    }
    return s.parse(text);
  }
}
