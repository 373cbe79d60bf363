package org.walden.config;

/**
 * When a setting may change (PostgreSQL's {@code GucContext}). The order is from least to most
 * changeable; a value set in a context later in this list can never be set in an earlier one.
 */
public enum SettingContext {
  /** Read-only; reports a fact of the build or of {@code walden init} ({@code PGC_INTERNAL}). */
  INTERNAL,
  /** Only at server start; a changed file value waits for a restart ({@code PGC_POSTMASTER}). */
  POSTMASTER,
  /** At start or on reload (SIGHUP / {@code pg_reload_conf()}); not per session. */
  SIGHUP,
  /** Also per session with {@code SET}, but only by superusers ({@code PGC_SUSET}). */
  SUPERUSER,
  /** Also per session with {@code SET} by anyone ({@code PGC_USERSET}). */
  USER;

  /**
   * Rejects a session-level {@code SET} or {@code RESET} of {@code setting} as PostgreSQL does.
   *
   * @throws ConfigException 55P02 for parameters that cannot change in a session, 42501 for a
   *     superuser-only parameter set by an ordinary role
   */
  public static void checkSessionSet(Setting<?> setting, boolean superuser) throws ConfigException {
    String name = setting.name();
    switch (setting.context()) {
      case INTERNAL ->
          throw new ConfigException(
              ConfigException.CANT_CHANGE_RUNTIME_PARAM,
              "parameter \"" + name + "\" cannot be changed",
              null,
              null);
      case POSTMASTER ->
          throw new ConfigException(
              ConfigException.CANT_CHANGE_RUNTIME_PARAM,
              "parameter \"" + name + "\" cannot be changed without restarting the server",
              null,
              null);
      case SIGHUP ->
          throw new ConfigException(
              ConfigException.CANT_CHANGE_RUNTIME_PARAM,
              "parameter \"" + name + "\" cannot be changed now",
              null,
              null);
      case SUPERUSER -> {
        if (!superuser) {
          throw new ConfigException(
              ConfigException.INSUFFICIENT_PRIVILEGE,
              "permission denied to set parameter \"" + name + "\"",
              null,
              null);
        }
      }
      case USER -> {}
    }
  }
}
