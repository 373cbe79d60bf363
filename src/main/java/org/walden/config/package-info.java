/**
 * Configuration: every setting Walden knows, declared once with PostgreSQL's name, type, unit,
 * default, bounds and context; the {@code walden.conf} / {@code postgresql.auto.conf} reader; and
 * the immutable {@link org.walden.config.Config} snapshot the rest of the server reads. It
 * reimplements PostgreSQL's GUC machinery (<a
 * href="https://www.postgresql.org/docs/15/config-setting.html">Setting Parameters</a>, {@code
 * src/backend/utils/misc/guc.c}, {@code guc-file.l}) for the parameters Walden has.
 *
 * <h2>Pieces</h2>
 *
 * <pre>
 *   Settings           the catalog: one static declaration per parameter (Setting subclasses)
 *   Setting.parse/show PostgreSQL's value rules: booleans and prefixes, strtol/strtod numbers,
 *                      units with PostgreSQL's rounding, enums with hidden aliases, SHOW format
 *   ConfigFileParser   postgresql.conf syntax (+ ConfigLexer), includes, errors with file/line
 *   Config             effective values: default &lt; files &lt; -c command line &lt; override
 *   AutoConfFile       ALTER SYSTEM's writer, durable through org.walden.fs.DurableFiles
 *   PgLevelConverter   PostgreSQL severity names in the server log (logback.xml)
 * </pre>
 *
 * <h2>Threads and shared state</h2>
 *
 * <p>None of its own. The node loads a {@code Config} at start-up and publishes it (a volatile
 * reference it owns); on SIGHUP it calls {@code Config.reload()}, logs the result's messages and
 * publishes the new snapshot. Readers take the current snapshot once per operation, so a value
 * never changes under them. Sessions layer their own {@code SET} values on top of a snapshot.
 * {@code AutoConfFile} serializes {@code ALTER SYSTEM} calls on its instance.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Every value in a snapshot passed its setting's parse and bounds; an integer is in its base
 *       unit.
 *   <li>A restart-only ({@code POSTMASTER}) setting's value never changes by reload; the new file
 *       value is reported as pending restart. {@code INTERNAL} settings are never read from a file
 *       or the command line; only the server sets them ({@code Config.withOverride}).
 *   <li>A file that does not parse changes nothing on reload; a bad value changes only its own
 *       setting (it keeps its old value).
 * </ul>
 *
 * <h2>Failure behaviour</h2>
 *
 * <p>All user errors are {@link org.walden.config.ConfigException}s with PostgreSQL's SQLSTATE,
 * message, detail and hint. At start-up the first one is fatal; at reload they are logged and the
 * server runs on.
 *
 * <h2>Layering</h2>
 *
 * <p>Imports nothing of Walden but {@code org.walden.fs}; in particular not {@code wal} (the LSN
 * syntax check for {@code recovery_target_lsn} is repeated here for that reason).
 */
package org.walden.config;
