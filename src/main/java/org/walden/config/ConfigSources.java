package org.walden.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a {@link Config} reads its values from, kept in the snapshot so that {@link Config#reload}
 * can read them again: the main configuration file (usually {@code DATA/walden.conf}, required if
 * given), {@code postgresql.auto.conf} (read after it if it exists, written by {@code ALTER
 * SYSTEM}), and the {@code -c name=value} options of the command line, which outrank both files.
 */
public record ConfigSources(
    Optional<Path> configFile, Optional<Path> autoConfFile, Map<String, String> commandLine) {

  /** The main configuration file's name inside a data directory. */
  public static final String CONFIG_FILE_NAME = "walden.conf";

  public ConfigSources {
    commandLine = Collections.unmodifiableMap(new LinkedHashMap<>(commandLine));
  }

  /** {@code DATA/walden.conf} then {@code DATA/postgresql.auto.conf}, then {@code commandLine}. */
  public static ConfigSources forDataDirectory(Path dataDir, Map<String, String> commandLine) {
    return new ConfigSources(
        Optional.of(dataDir.resolve(CONFIG_FILE_NAME)),
        Optional.of(dataDir.resolve(AutoConfFile.FILE_NAME)),
        commandLine);
  }

  /** No files: defaults plus these values (embedded servers and tests). */
  public static ConfigSources commandLineOnly(Map<String, String> commandLine) {
    return new ConfigSources(Optional.empty(), Optional.empty(), commandLine);
  }

  /**
   * Splits one {@code -c} argument, {@code name=value}, turning dashes in the name into underscores
   * as PostgreSQL does ({@code -c wal-level=logical}).
   *
   * @throws ConfigException 42601 {@code -c x requires a value} if there is no {@code =}
   */
  public static Map.Entry<String, String> parseCommandLineOption(String arg)
      throws ConfigException {
    int eq = arg.indexOf('=');
    if (eq < 0) {
      throw new ConfigException(
          ConfigException.SYNTAX_ERROR, "-c " + arg + " requires a value", null, null);
    }
    return Map.entry(arg.substring(0, eq).replace('-', '_'), arg.substring(eq + 1));
  }
}
