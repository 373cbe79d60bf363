package org.walden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsCatalogTest {

  private static final List<String> REQUIRED =
      List.of(
          "listen_addresses",
          "port",
          "max_connections",
          "superuser_reserved_connections",
          "wal_segment_size",
          "fsync",
          "synchronous_commit",
          "wal_writer_delay",
          "commit_delay",
          "checkpoint_timeout",
          "checkpoint_completion_target",
          "max_wal_size",
          "min_wal_size",
          "wal_keep_size",
          "max_slot_wal_keep_size",
          "wal_level",
          "max_wal_senders",
          "max_replication_slots",
          "wal_sender_timeout",
          "wal_receiver_timeout",
          "wal_receiver_status_interval",
          "wal_retrieve_retry_interval",
          "hot_standby",
          "hot_standby_feedback",
          "primary_conninfo",
          "primary_slot_name",
          "restore_command",
          "archive_mode",
          "archive_command",
          "archive_timeout",
          "recovery_target_timeline",
          "recovery_target_lsn",
          "recovery_target_time",
          "recovery_target_name",
          "recovery_target_inclusive",
          "recovery_target_action",
          "promote_trigger_file",
          "synchronous_standby_names",
          "synchronous_commit_timeout",
          "application_name",
          "cluster_name",
          "default_transaction_isolation",
          "default_transaction_read_only",
          "statement_timeout",
          "lock_timeout",
          "deadlock_timeout",
          "log_min_messages",
          "client_min_messages",
          "DateStyle",
          "TimeZone",
          "client_encoding",
          "server_encoding",
          "server_version",
          "integer_datetimes",
          "standard_conforming_strings",
          "IntervalStyle",
          "data_directory_mode",
          "data_checksums",
          "block_size",
          "wal_block_size");

  @Test
  void catalog_declaresEveryRequiredSetting() {
    for (String name : REQUIRED) {
      assertThat(Settings.find(name)).as(name).isPresent();
      assertThat(Settings.find(name).orElseThrow().name()).isEqualTo(name);
    }
    assertThat(Settings.all()).hasSize(REQUIRED.size());
  }

  @Test
  void lookup_ignoresCase() throws ConfigException {
    assertThat(Settings.lookup("datestyle")).isSameAs(Settings.DATE_STYLE);
    assertThat(Settings.lookup("MAX_WAL_SIZE")).isSameAs(Settings.MAX_WAL_SIZE);
  }

  @Test
  void lookup_unknownNameIsUndefinedObject() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Settings.lookup("x"));
    assertThat(e).hasMessage("unrecognized configuration parameter \"x\"");
    assertThat(e.sqlState()).isEqualTo("42704");
  }

  @Test
  void defaults_showAsPostgres15() {
    Config c = Config.defaults();
    assertThat(c.show(Settings.MAX_WAL_SIZE)).isEqualTo("1GB");
    assertThat(c.show(Settings.MIN_WAL_SIZE)).isEqualTo("80MB");
    assertThat(c.show(Settings.CHECKPOINT_TIMEOUT)).isEqualTo("5min");
    assertThat(c.show(Settings.WAL_SENDER_TIMEOUT)).isEqualTo("1min");
    assertThat(c.show(Settings.WAL_RECEIVER_STATUS_INTERVAL)).isEqualTo("10s");
    assertThat(c.show(Settings.DEADLOCK_TIMEOUT)).isEqualTo("1s");
    assertThat(c.show(Settings.WAL_SEGMENT_SIZE)).isEqualTo("16MB");
    assertThat(c.show(Settings.SYNCHRONOUS_COMMIT)).isEqualTo("on");
    assertThat(c.show(Settings.WAL_LEVEL)).isEqualTo("replica");
    assertThat(c.show(Settings.SERVER_VERSION)).isEqualTo("15.4");
    assertThat(c.show(Settings.DATA_DIRECTORY_MODE)).isEqualTo("0700");
    assertThat(c.show(Settings.CHECKPOINT_COMPLETION_TARGET)).isEqualTo("0.9");
    assertThat(c.show(Settings.LOG_MIN_MESSAGES)).isEqualTo("warning");
    assertThat(c.show(Settings.RECOVERY_TARGET_TIMELINE)).isEqualTo("latest");
    assertThat(c.get(Settings.PORT)).isEqualTo(5432);
    assertThat(c.get(Settings.HOT_STANDBY)).isTrue();
  }

  @Test
  void defaults_reparseFromTheirShownForm() throws ConfigException {
    for (Setting<?> s : Settings.all()) {
      assertThat((Object) s.parse(s.showUnchecked(s.defaultValue())))
          .as(s.name())
          .isEqualTo(s.defaultValue());
    }
  }

  @Test
  void contexts_matchPostgres() {
    assertThat(Settings.PORT.context()).isEqualTo(SettingContext.POSTMASTER);
    assertThat(Settings.WAL_SEGMENT_SIZE.context()).isEqualTo(SettingContext.INTERNAL);
    assertThat(Settings.CHECKPOINT_TIMEOUT.context()).isEqualTo(SettingContext.SIGHUP);
    assertThat(Settings.WAL_SENDER_TIMEOUT.context()).isEqualTo(SettingContext.USER);
    assertThat(Settings.COMMIT_DELAY.context()).isEqualTo(SettingContext.SUPERUSER);
    assertThat(Settings.SERVER_VERSION.isReported()).isTrue();
    assertThat(Settings.PORT.isReported()).isFalse();
  }

  @Test
  void checkSessionSet_rejectsAsPostgres() throws ConfigException {
    assertThatThrownBy(() -> SettingContext.checkSessionSet(Settings.PORT, true))
        .hasMessage("parameter \"port\" cannot be changed without restarting the server");
    assertThatThrownBy(() -> SettingContext.checkSessionSet(Settings.SERVER_VERSION, true))
        .hasMessage("parameter \"server_version\" cannot be changed");
    assertThatThrownBy(() -> SettingContext.checkSessionSet(Settings.FSYNC, true))
        .hasMessage("parameter \"fsync\" cannot be changed now");
    ConfigException perm =
        catchThrowableOfType(
            ConfigException.class,
            () -> SettingContext.checkSessionSet(Settings.DEADLOCK_TIMEOUT, false));
    assertThat(perm).hasMessage("permission denied to set parameter \"deadlock_timeout\"");
    assertThat(perm.sqlState()).isEqualTo("42501");
    SettingContext.checkSessionSet(Settings.DEADLOCK_TIMEOUT, true);
    SettingContext.checkSessionSet(Settings.STATEMENT_TIMEOUT, false);
    assertThat(Settings.STATEMENT_TIMEOUT.context()).isEqualTo(SettingContext.USER);
  }
}
