package org.walden.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Config#reload()} did, for the caller to act on and log.
 *
 * @param config the new snapshot (the old one's values where nothing could be applied)
 * @param changed settings whose effective value changed and took effect
 * @param pendingRestart restart-only settings whose file value differs from the running value; the
 *     running value was kept
 * @param errors problems found; with {@code applied == false} the files did not parse and nothing
 *     was applied, otherwise only the settings in error kept their old values
 * @param applied false if a syntax error stopped the whole reload
 */
public record ReloadResult(
    Config config,
    List<Setting<?>> changed,
    List<Setting<?>> pendingRestart,
    List<ConfigException> errors,
    boolean applied) {

  public ReloadResult {
    changed = List.copyOf(changed);
    pendingRestart = List.copyOf(pendingRestart);
    errors = List.copyOf(errors);
  }

  /** The server log lines PostgreSQL writes for such a reload (without the level prefix). */
  public List<String> logMessages(Config previous) {
    List<String> lines = new ArrayList<>();
    for (ConfigException e : errors) {
      lines.add(e.describe());
    }
    for (Setting<?> s : pendingRestart) {
      lines.add("parameter \"" + s.name() + "\" cannot be changed without restarting the server");
    }
    for (Setting<?> s : changed) {
      if (config.source(s) == SettingSource.DEFAULT
          && previous.source(s) == SettingSource.CONFIGURATION_FILE) {
        lines.add(
            "parameter \"" + s.name() + "\" removed from configuration file, reset to default");
      } else {
        lines.add("parameter \"" + s.name() + "\" changed to \"" + config.show(s) + "\"");
      }
    }
    if (!errors.isEmpty()) {
      String file = config.sources().configFile().map(Object::toString).orElse("(command line)");
      lines.add(
          "configuration file \""
              + file
              + "\" contains errors; "
              + (applied ? "unaffected changes were applied" : "no changes were applied"));
    }
    return lines;
  }
}
