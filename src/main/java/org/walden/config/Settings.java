package org.walden.config;

import static org.walden.config.SettingContext.INTERNAL;
import static org.walden.config.SettingContext.POSTMASTER;
import static org.walden.config.SettingContext.SIGHUP;
import static org.walden.config.SettingContext.SUPERUSER;
import static org.walden.config.SettingContext.USER;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The catalog: every configuration parameter Walden knows, declared once with PostgreSQL 15's name,
 * type, base unit, default, bounds and context (PostgreSQL's {@code guc_tables.c}). Nothing else
 * declares settings; documentation, {@code SHOW ALL} and {@code pg_settings} are generated from
 * {@link #all()}.
 *
 * <p>Where Walden deliberately differs from a stock PostgreSQL 15 it says so at the declaration
 * (the encodings are UTF8 because a Walden cluster is always initialized that way).
 *
 * <p>Registration happens in this class's static initializer, in declaration order, which fixes
 * each setting's index into {@link Config}'s value array; the class is immutable afterwards.
 */
public final class Settings {

  /** PostgreSQL's {@code MAX_BACKENDS}. */
  private static final int MAX_BACKENDS = 0x3FFFF;

  /** PostgreSQL's {@code MAX_KILOBYTES} on 64-bit platforms. */
  private static final int MAX_KILOBYTES = Integer.MAX_VALUE;

  /** PostgreSQL's {@code MAXFNAMELEN}: recovery target names must be shorter. */
  private static final int MAXFNAMELEN = 64;

  /** PostgreSQL's {@code NAMEDATALEN}: slot names must be shorter. */
  private static final int NAMEDATALEN = 64;

  private static final List<Setting<?>> ALL = new ArrayList<>();
  private static final Map<String, Setting<?>> BY_KEY = new HashMap<>();

  // ---- connections -------------------------------------------------------------------------

  public static final StringSetting LISTEN_ADDRESSES =
      string(
          "listen_addresses",
          POSTMASTER,
          "localhost",
          "Sets the host name or IP address(es) to" + " listen to.");
  public static final IntSetting PORT =
      integer("port", POSTMASTER, 5432, 1, 65535, null, "Sets the TCP port the server listens on.");
  public static final IntSetting MAX_CONNECTIONS =
      integer(
          "max_connections",
          POSTMASTER,
          100,
          1,
          MAX_BACKENDS,
          null,
          "Sets the maximum number of concurrent connections.");
  public static final IntSetting SUPERUSER_RESERVED_CONNECTIONS =
      integer(
          "superuser_reserved_connections",
          POSTMASTER,
          3,
          0,
          MAX_BACKENDS,
          null,
          "Sets the number of connection slots reserved for superusers.");

  // ---- WAL ---------------------------------------------------------------------------------

  public static final IntSetting WAL_SEGMENT_SIZE =
      integer(
          "wal_segment_size",
          INTERNAL,
          16 << 20,
          1 << 20,
          1 << 30,
          Unit.B,
          "Shows the size of write ahead log segments (fixed by walden init).");
  public static final BoolSetting FSYNC =
      bool("fsync", SIGHUP, true, "Forces synchronization of updates to disk.");
  public static final EnumSetting<SynchronousCommit> SYNCHRONOUS_COMMIT =
      enumeration(
          "synchronous_commit",
          USER,
          SynchronousCommit.ON,
          List.of(
              opt("local", SynchronousCommit.LOCAL),
              opt("remote_write", SynchronousCommit.REMOTE_WRITE),
              opt("remote_apply", SynchronousCommit.REMOTE_APPLY),
              opt("on", SynchronousCommit.ON),
              opt("off", SynchronousCommit.OFF),
              hidden("true", SynchronousCommit.ON),
              hidden("false", SynchronousCommit.OFF),
              hidden("yes", SynchronousCommit.ON),
              hidden("no", SynchronousCommit.OFF),
              hidden("1", SynchronousCommit.ON),
              hidden("0", SynchronousCommit.OFF)),
          "Sets the current transaction's synchronization level.");
  public static final IntSetting WAL_WRITER_DELAY =
      integer(
          "wal_writer_delay",
          SIGHUP,
          200,
          1,
          10000,
          Unit.MS,
          "Time between WAL flushes performed in the WAL writer.");
  // No unit on purpose: PostgreSQL has no microsecond base unit, so commit_delay is a bare number.
  public static final IntSetting COMMIT_DELAY =
      integer(
          "commit_delay",
          SUPERUSER,
          0,
          0,
          100000,
          null,
          "Sets the delay in microseconds between transaction commit and flushing WAL to disk.");
  public static final IntSetting CHECKPOINT_TIMEOUT =
      integer(
          "checkpoint_timeout",
          SIGHUP,
          300,
          30,
          86400,
          Unit.S,
          "Sets the maximum time between automatic WAL checkpoints.");
  public static final RealSetting CHECKPOINT_COMPLETION_TARGET =
      register(
          new RealSetting(
              "checkpoint_completion_target",
              SIGHUP,
              0.9,
              0.0,
              1.0,
              null,
              "Time spent flushing dirty buffers during checkpoint, as fraction of checkpoint"
                  + " interval.",
              false));
  public static final IntSetting MAX_WAL_SIZE =
      integer(
          "max_wal_size",
          SIGHUP,
          1024,
          2,
          MAX_KILOBYTES,
          Unit.MB,
          "Sets the WAL size that triggers a checkpoint.");
  public static final IntSetting MIN_WAL_SIZE =
      integer(
          "min_wal_size",
          SIGHUP,
          80,
          2,
          MAX_KILOBYTES,
          Unit.MB,
          "Sets the minimum size to shrink the WAL to.");
  public static final IntSetting WAL_KEEP_SIZE =
      integer(
          "wal_keep_size",
          SIGHUP,
          0,
          0,
          MAX_KILOBYTES,
          Unit.MB,
          "Sets the size of WAL files held for standby servers.");
  public static final IntSetting MAX_SLOT_WAL_KEEP_SIZE =
      integer(
          "max_slot_wal_keep_size",
          SIGHUP,
          -1,
          -1,
          MAX_KILOBYTES,
          Unit.MB,
          "Sets the maximum WAL size that can be reserved by replication slots.");
  public static final EnumSetting<WalLevel> WAL_LEVEL =
      enumeration(
          "wal_level",
          POSTMASTER,
          WalLevel.REPLICA,
          List.of(
              opt("minimal", WalLevel.MINIMAL),
              opt("replica", WalLevel.REPLICA),
              hidden("archive", WalLevel.REPLICA),
              hidden("hot_standby", WalLevel.REPLICA),
              opt("logical", WalLevel.LOGICAL)),
          "Sets the level of information written to the WAL.");

  // ---- replication -------------------------------------------------------------------------

  public static final IntSetting MAX_WAL_SENDERS =
      integer(
          "max_wal_senders",
          POSTMASTER,
          10,
          0,
          MAX_BACKENDS,
          null,
          "Sets the maximum number of simultaneously running WAL sender processes.");
  public static final IntSetting MAX_REPLICATION_SLOTS =
      integer(
          "max_replication_slots",
          POSTMASTER,
          10,
          0,
          MAX_BACKENDS,
          null,
          "Sets the maximum number of simultaneously defined replication slots.");
  public static final IntSetting WAL_SENDER_TIMEOUT =
      integer(
          "wal_sender_timeout",
          USER,
          60000,
          0,
          Integer.MAX_VALUE,
          Unit.MS,
          "Sets the maximum time to wait for WAL replication.");
  public static final IntSetting WAL_RECEIVER_TIMEOUT =
      integer(
          "wal_receiver_timeout",
          SIGHUP,
          60000,
          0,
          Integer.MAX_VALUE,
          Unit.MS,
          "Sets the maximum wait time to receive data from the sending server.");
  public static final IntSetting WAL_RECEIVER_STATUS_INTERVAL =
      integer(
          "wal_receiver_status_interval",
          SIGHUP,
          10,
          0,
          Integer.MAX_VALUE / 1000,
          Unit.S,
          "Sets the maximum interval between WAL receiver status reports to the sending server.");
  public static final IntSetting WAL_RETRIEVE_RETRY_INTERVAL =
      integer(
          "wal_retrieve_retry_interval",
          SIGHUP,
          5000,
          1,
          Integer.MAX_VALUE,
          Unit.MS,
          "Sets the time to wait before retrying to retrieve WAL after a failed attempt.");
  public static final BoolSetting HOT_STANDBY =
      bool("hot_standby", POSTMASTER, true, "Allows connections and queries during recovery.");
  public static final BoolSetting HOT_STANDBY_FEEDBACK =
      bool(
          "hot_standby_feedback",
          SIGHUP,
          false,
          "Allows feedback from a hot standby to the primary that will avoid query conflicts.");
  public static final StringSetting PRIMARY_CONNINFO =
      string(
          "primary_conninfo",
          SIGHUP,
          "",
          "Sets the connection string to be used to connect to the sending server.");
  public static final StringSetting PRIMARY_SLOT_NAME =
      register(
          new StringSetting(
              "primary_slot_name",
              SIGHUP,
              "",
              "Sets the name of the replication slot to use on the sending server.",
              false,
              Settings::checkSlotName));
  public static final StringSetting SYNCHRONOUS_STANDBY_NAMES =
      register(
          new StringSetting(
              "synchronous_standby_names",
              SIGHUP,
              "",
              "Number of synchronous standbys and list of names of potential synchronous ones.",
              false,
              SyncStandbyNames::parse));

  /**
   * Walden's own: how long a commit waits for the synchronous standbys before it returns with a
   * warning (0 = forever, as PostgreSQL).
   */
  public static final IntSetting SYNCHRONOUS_COMMIT_TIMEOUT =
      integer(
          "synchronous_commit_timeout",
          USER,
          0,
          0,
          Integer.MAX_VALUE,
          Unit.MS,
          "Sets the maximum time a commit waits for synchronous standbys (0 = no limit).");

  // ---- archiving and recovery ----------------------------------------------------------------

  public static final StringSetting RESTORE_COMMAND =
      string(
          "restore_command",
          SIGHUP,
          "",
          "Sets the shell command that will be called to retrieve an archived WAL file.");
  public static final EnumSetting<ArchiveMode> ARCHIVE_MODE =
      enumeration(
          "archive_mode",
          POSTMASTER,
          ArchiveMode.OFF,
          List.of(
              opt("always", ArchiveMode.ALWAYS),
              opt("on", ArchiveMode.ON),
              opt("off", ArchiveMode.OFF),
              hidden("true", ArchiveMode.ON),
              hidden("false", ArchiveMode.OFF),
              hidden("yes", ArchiveMode.ON),
              hidden("no", ArchiveMode.OFF),
              hidden("1", ArchiveMode.ON),
              hidden("0", ArchiveMode.OFF)),
          "Allows archiving of WAL files using archive_command.");
  public static final StringSetting ARCHIVE_COMMAND =
      string(
          "archive_command",
          SIGHUP,
          "",
          "Sets the shell command that will be called to archive a WAL file.");
  public static final IntSetting ARCHIVE_TIMEOUT =
      integer(
          "archive_timeout",
          SIGHUP,
          0,
          0,
          Integer.MAX_VALUE / 2,
          Unit.S,
          "Sets the amount of time to wait before forcing a switch to the next WAL file.");
  public static final StringSetting RECOVERY_TARGET_TIMELINE =
      register(
          new StringSetting(
              "recovery_target_timeline",
              POSTMASTER,
              "latest",
              "Specifies the timeline to recover into.",
              false,
              Settings::checkRecoveryTargetTimeline));
  public static final StringSetting RECOVERY_TARGET_LSN =
      register(
          new StringSetting(
              "recovery_target_lsn",
              POSTMASTER,
              "",
              "Sets the LSN of the write-ahead log location up to which recovery will proceed.",
              false,
              Settings::checkLsn));
  public static final StringSetting RECOVERY_TARGET_TIME =
      string(
          "recovery_target_time",
          POSTMASTER,
          "",
          "Sets the time stamp up to which recovery will proceed.");
  public static final StringSetting RECOVERY_TARGET_NAME =
      register(
          new StringSetting(
              "recovery_target_name",
              POSTMASTER,
              "",
              "Sets the named restore point up to which recovery will proceed.",
              false,
              Settings::checkRestorePointName));
  public static final BoolSetting RECOVERY_TARGET_INCLUSIVE =
      bool(
          "recovery_target_inclusive",
          POSTMASTER,
          true,
          "Sets whether to include or exclude transaction with recovery target.");
  public static final EnumSetting<RecoveryTargetAction> RECOVERY_TARGET_ACTION =
      enumeration(
          "recovery_target_action",
          POSTMASTER,
          RecoveryTargetAction.PAUSE,
          List.of(
              opt("pause", RecoveryTargetAction.PAUSE),
              opt("promote", RecoveryTargetAction.PROMOTE),
              opt("shutdown", RecoveryTargetAction.SHUTDOWN)),
          "Sets the action to perform upon reaching the recovery target.");
  public static final StringSetting PROMOTE_TRIGGER_FILE =
      string(
          "promote_trigger_file",
          SIGHUP,
          "",
          "Specifies a file name whose presence ends recovery in the standby.");

  // ---- identity ------------------------------------------------------------------------------

  public static final StringSetting APPLICATION_NAME =
      register(
          new StringSetting(
              "application_name",
              USER,
              "",
              "Sets the application name to be reported in statistics and logs.",
              true,
              null));
  public static final StringSetting CLUSTER_NAME =
      string(
          "cluster_name",
          POSTMASTER,
          "",
          "Sets the name of the cluster, which is included in the process title.");

  // ---- sessions ------------------------------------------------------------------------------

  public static final EnumSetting<TransactionIsolation> DEFAULT_TRANSACTION_ISOLATION =
      enumeration(
          "default_transaction_isolation",
          USER,
          TransactionIsolation.READ_COMMITTED,
          List.of(
              opt("serializable", TransactionIsolation.SERIALIZABLE),
              opt("repeatable read", TransactionIsolation.REPEATABLE_READ),
              opt("read committed", TransactionIsolation.READ_COMMITTED),
              opt("read uncommitted", TransactionIsolation.READ_UNCOMMITTED)),
          "Sets the transaction isolation level of each new transaction.");
  public static final BoolSetting DEFAULT_TRANSACTION_READ_ONLY =
      bool(
          "default_transaction_read_only",
          USER,
          false,
          "Sets the default read-only status of new transactions.");
  public static final IntSetting STATEMENT_TIMEOUT =
      integer(
          "statement_timeout",
          USER,
          0,
          0,
          Integer.MAX_VALUE,
          Unit.MS,
          "Sets the maximum allowed duration of any statement.");
  public static final IntSetting LOCK_TIMEOUT =
      integer(
          "lock_timeout",
          USER,
          0,
          0,
          Integer.MAX_VALUE,
          Unit.MS,
          "Sets the maximum allowed duration of any wait for a lock.");
  public static final IntSetting DEADLOCK_TIMEOUT =
      integer(
          "deadlock_timeout",
          SUPERUSER,
          1000,
          1,
          Integer.MAX_VALUE,
          Unit.MS,
          "Sets the time to wait on a lock before checking for deadlock.");

  // ---- messages ------------------------------------------------------------------------------

  public static final EnumSetting<MessageLevel> LOG_MIN_MESSAGES =
      enumeration(
          "log_min_messages",
          SUPERUSER,
          MessageLevel.WARNING,
          List.of(
              opt("debug5", MessageLevel.DEBUG5),
              opt("debug4", MessageLevel.DEBUG4),
              opt("debug3", MessageLevel.DEBUG3),
              opt("debug2", MessageLevel.DEBUG2),
              opt("debug1", MessageLevel.DEBUG1),
              hidden("debug", MessageLevel.DEBUG2),
              opt("info", MessageLevel.INFO),
              opt("notice", MessageLevel.NOTICE),
              opt("warning", MessageLevel.WARNING),
              opt("error", MessageLevel.ERROR),
              opt("log", MessageLevel.LOG),
              opt("fatal", MessageLevel.FATAL),
              opt("panic", MessageLevel.PANIC)),
          "Sets the message levels that are logged.");
  public static final EnumSetting<MessageLevel> CLIENT_MIN_MESSAGES =
      enumeration(
          "client_min_messages",
          USER,
          MessageLevel.NOTICE,
          List.of(
              opt("debug5", MessageLevel.DEBUG5),
              opt("debug4", MessageLevel.DEBUG4),
              opt("debug3", MessageLevel.DEBUG3),
              opt("debug2", MessageLevel.DEBUG2),
              opt("debug1", MessageLevel.DEBUG1),
              hidden("debug", MessageLevel.DEBUG2),
              opt("log", MessageLevel.LOG),
              hidden("info", MessageLevel.INFO),
              opt("notice", MessageLevel.NOTICE),
              opt("warning", MessageLevel.WARNING),
              opt("error", MessageLevel.ERROR)),
          "Sets the message levels that are sent to the client.");

  // ---- client formats (reported to clients in ParameterStatus) -------------------------------

  public static final StringSetting DATE_STYLE =
      register(
          new StringSetting(
              "DateStyle",
              USER,
              "ISO, MDY",
              "Sets the display format for date and time values.",
              true,
              null));
  public static final StringSetting TIME_ZONE =
      register(
          new StringSetting(
              "TimeZone",
              USER,
              "GMT",
              "Sets the time zone for displaying and interpreting time stamps.",
              true,
              null));
  // Walden clusters are always UTF8; stock PostgreSQL's boot value would be SQL_ASCII.
  public static final StringSetting CLIENT_ENCODING =
      register(
          new StringSetting(
              "client_encoding",
              USER,
              "UTF8",
              "Sets the client's character set encoding.",
              true,
              null));
  public static final StringSetting SERVER_ENCODING =
      register(
          new StringSetting(
              "server_encoding",
              INTERNAL,
              "UTF8",
              "Shows the server (database) character set encoding.",
              true,
              null));
  public static final StringSetting SERVER_VERSION =
      register(
          new StringSetting(
              "server_version", INTERNAL, "15.4", "Shows the server version.", true, null));
  public static final BoolSetting INTEGER_DATETIMES =
      register(
          new BoolSetting(
              "integer_datetimes",
              INTERNAL,
              true,
              "Shows whether datetimes are integer based.",
              true));
  public static final BoolSetting STANDARD_CONFORMING_STRINGS =
      register(
          new BoolSetting(
              "standard_conforming_strings",
              USER,
              true,
              "Causes '...' strings to treat backslashes literally.",
              true));
  public static final EnumSetting<IntervalStyle> INTERVAL_STYLE =
      register(
          new EnumSetting<>(
              "IntervalStyle",
              USER,
              IntervalStyle.POSTGRES,
              List.of(
                  opt("postgres", IntervalStyle.POSTGRES),
                  opt("postgres_verbose", IntervalStyle.POSTGRES_VERBOSE),
                  opt("sql_standard", IntervalStyle.SQL_STANDARD),
                  opt("iso_8601", IntervalStyle.ISO_8601)),
              "Sets the display format for interval values.",
              true));

  // ---- facts of the data directory and the build --------------------------------------------

  public static final IntSetting DATA_DIRECTORY_MODE =
      register(
          new IntSetting(
              "data_directory_mode",
              INTERNAL,
              0700,
              0,
              0777,
              null,
              "Shows the mode of the data directory.",
              false,
              mode -> String.format(Locale.ROOT, "%04o", mode)));
  public static final BoolSetting DATA_CHECKSUMS =
      bool("data_checksums", INTERNAL, false, "Shows whether data checksums are turned on.");
  public static final IntSetting BLOCK_SIZE =
      integer("block_size", INTERNAL, 8192, 8192, 8192, null, "Shows the size of a disk block.");
  public static final IntSetting WAL_BLOCK_SIZE =
      integer(
          "wal_block_size",
          INTERNAL,
          8192,
          8192,
          8192,
          null,
          "Shows the block size in the write ahead log.");

  private static final List<Setting<?>> ALL_VIEW = Collections.unmodifiableList(ALL);

  private Settings() {}

  /** Every setting, in catalog order. */
  public static List<Setting<?>> all() {
    return ALL_VIEW;
  }

  /** The setting with this name, ignoring case, if Walden knows it. */
  public static Optional<Setting<?>> find(String name) {
    return Optional.ofNullable(BY_KEY.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The setting with this name, ignoring case.
   *
   * @throws ConfigException 42704 {@code unrecognized configuration parameter "x"}
   */
  public static Setting<?> lookup(String name) throws ConfigException {
    Setting<?> s = BY_KEY.get(name.toLowerCase(Locale.ROOT));
    if (s == null) {
      throw ConfigException.unrecognized(name);
    }
    return s;
  }

  // ---- declaration helpers -------------------------------------------------------------------

  private static <S extends Setting<?>> S register(S s) {
    s.register(ALL.size());
    if (BY_KEY.putIfAbsent(s.key(), s) != null) {
      throw new IllegalStateException("duplicate setting " + s.name());
    }
    ALL.add(s);
    return s;
  }

  private static BoolSetting bool(String name, SettingContext ctx, boolean dflt, String desc) {
    return register(new BoolSetting(name, ctx, dflt, desc, false));
  }

  private static IntSetting integer(
      String name, SettingContext ctx, int dflt, int min, int max, Unit unit, String desc) {
    IntFunction<String> noHook = null;
    return register(new IntSetting(name, ctx, dflt, min, max, unit, desc, false, noHook));
  }

  private static StringSetting string(String name, SettingContext ctx, String dflt, String desc) {
    return register(new StringSetting(name, ctx, dflt, desc, false, null));
  }

  private static <E extends Enum<E>> EnumSetting<E> enumeration(
      String name, SettingContext ctx, E dflt, List<EnumSetting.Option<E>> options, String desc) {
    return register(new EnumSetting<>(name, ctx, dflt, options, desc, false));
  }

  private static <E> EnumSetting.Option<E> opt(String name, E value) {
    return new EnumSetting.Option<>(name, value, false);
  }

  private static <E> EnumSetting.Option<E> hidden(String name, E value) {
    return new EnumSetting.Option<>(name, value, true);
  }

  // ---- check hooks ---------------------------------------------------------------------------

  private static void checkRecoveryTargetTimeline(String name, String value)
      throws ConfigException {
    if (value.equals("current") || value.equals("latest")) {
      return;
    }
    NumberSyntax.Scan scan = NumberSyntax.strtol(value);
    if (scan.end() == 0
        || scan.end() != value.length()
        || scan.outOfRange()
        || scan.value() < 1
        || scan.value() > 0xFFFF_FFFFL) {
      throw new ConfigException(
          ConfigException.INVALID_PARAMETER_VALUE,
          "invalid value for parameter \"" + name + "\": \"" + value + "\"",
          "recovery_target_timeline is not a valid number.",
          null);
    }
  }

  private static void checkLsn(String name, String value) throws ConfigException {
    if (value.isEmpty()) {
      return;
    }
    // PostgreSQL's pg_lsn input: 1-8 hex digits, a slash, 1-8 hex digits, nothing else.
    int slash = value.indexOf('/');
    if (!isHexRun(value, 0, slash) || !isHexRun(value, slash + 1, value.length())) {
      throw ConfigException.invalidValue(name, value, null);
    }
  }

  private static boolean isHexRun(String s, int from, int to) {
    if (from < 0 || to - from < 1 || to - from > 8) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 128 || Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkRestorePointName(String name, String value) throws ConfigException {
    if (value.length() >= MAXFNAMELEN) {
      throw new ConfigException(
          ConfigException.INVALID_PARAMETER_VALUE,
          "invalid value for parameter \"" + name + "\": \"" + value + "\"",
          name + " is too long (maximum " + (MAXFNAMELEN - 1) + " characters).",
          null);
    }
  }

  private static void checkSlotName(String name, String value) throws ConfigException {
    if (value.isEmpty()) {
      return;
    }
    String detail = null;
    if (value.length() >= NAMEDATALEN) {
      detail = "replication slot name \"" + value + "\" is too long";
    } else {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
          detail = "replication slot name \"" + value + "\" contains invalid character";
          break;
        }
      }
    }
    if (detail != null) {
      throw new ConfigException(
          ConfigException.INVALID_PARAMETER_VALUE,
          "invalid value for parameter \"" + name + "\": \"" + value + "\"",
          detail,
          "Replication slot names may only contain lower case letters, numbers, and the"
              + " underscore character.");
    }
  }
}
