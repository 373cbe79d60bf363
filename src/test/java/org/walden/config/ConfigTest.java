package org.walden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @TempDir Path dataDir;
  Path conf;
  Path auto;

  @BeforeEach
  void paths() {
    conf = dataDir.resolve("walden.conf");
    auto = dataDir.resolve("postgresql.auto.conf");
  }

  private Config load(Map<String, String> commandLine) throws ConfigException {
    return Config.load(ConfigSources.forDataDirectory(dataDir, commandLine));
  }

  @Test
  void load_layersDefaultsFilesAndCommandLine() throws Exception {
    Files.writeString(
        conf, "port = 5433\nmax_wal_size = 2GB\ncheckpoint_timeout = 10min\nwal_level = logical\n");
    Files.writeString(auto, "max_wal_size = '4GB'\n");
    Config c = load(Map.of("checkpoint_timeout", "1h"));

    assertThat(c.get(Settings.PORT)).isEqualTo(5433);
    assertThat(c.source(Settings.PORT)).isEqualTo(SettingSource.CONFIGURATION_FILE);
    assertThat(c.sourceEntry(Settings.PORT).orElseThrow().line()).isEqualTo(1);
    assertThat(c.get(Settings.MAX_WAL_SIZE)).isEqualTo(4096); // auto.conf is read last
    assertThat(c.sourceEntry(Settings.MAX_WAL_SIZE).orElseThrow().file()).isEqualTo(auto);
    assertThat(c.get(Settings.CHECKPOINT_TIMEOUT)).isEqualTo(3600); // -c beats the files
    assertThat(c.source(Settings.CHECKPOINT_TIMEOUT)).isEqualTo(SettingSource.COMMAND_LINE);
    assertThat(c.get(Settings.WAL_LEVEL)).isEqualTo(WalLevel.LOGICAL);
    assertThat(c.get(Settings.FSYNC)).isTrue();
    assertThat(c.source(Settings.FSYNC)).isEqualTo(SettingSource.DEFAULT);
    assertThat(c.show("MAX_WAL_SIZE")).isEqualTo("4GB");
  }

  @Test
  void load_laterEntryWinsAndEarlierInvalidOneIsIgnored() throws Exception {
    Files.writeString(conf, "port = banana\nport = 6000\n");
    assertThat(load(Map.of()).get(Settings.PORT)).isEqualTo(6000);
  }

  @Test
  void load_missingMainFileFails() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(Map.of()));
    assertThat(e.getMessage()).startsWith("could not open configuration file");
  }

  @Test
  void load_badValueNamesFileAndLine() throws IOException {
    Files.writeString(conf, "fsync = on\nport = abc\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(Map.of()));
    assertThat(e).hasMessage("invalid value for parameter \"port\": \"abc\"");
    assertThat(e.context()).isEqualTo("line 2 of configuration file \"" + conf + "\"");
    assertThat(e.describe()).contains("CONTEXT:  line 2 of configuration file");
  }

  @Test
  void load_unknownNameInFile() throws IOException {
    Files.writeString(conf, "\n\nno_such_thing = 1\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(Map.of()));
    assertThat(e.sqlState()).isEqualTo("42704");
    assertThat(e)
        .hasMessage(
            "unrecognized configuration parameter \"no_such_thing\" in file \""
                + conf
                + "\" line 3");
  }

  @Test
  void load_internalSettingCannotBeSet() throws IOException {
    Files.writeString(conf, "wal_segment_size = 32MB\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(Map.of()));
    assertThat(e).hasMessage("parameter \"wal_segment_size\" cannot be changed");
    assertThat(e.sqlState()).isEqualTo("55P02");
  }

  @Test
  void load_reportsAllErrorsFirstOneThrown() throws IOException {
    Files.writeString(conf, "port = x\nfsync = maybe\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(Map.of()));
    assertThat(e.getMessage()).contains("\"port\"");
    assertThat(e.getSuppressed()).hasSize(1);
    assertThat(e.getSuppressed()[0]).hasMessageContaining("\"fsync\"");
  }

  @Test
  void load_badCommandLineValueFails() throws IOException {
    Files.writeString(conf, "");
    assertThatThrownBy(() -> load(Map.of("port", "0")))
        .hasMessage("0 is outside the valid range for parameter \"port\" (1 .. 65535)");
  }

  @Test
  void reload_appliesReloadableAndDefersRestartOnly() throws Exception {
    Files.writeString(conf, "port = 5433\ncheckpoint_timeout = 5min\n");
    Config before = load(Map.of());
    Files.writeString(conf, "port = 6000\ncheckpoint_timeout = 15min\n");
    ReloadResult r = before.reload();

    Config after = r.config();
    assertThat(r.applied()).isTrue();
    assertThat(r.changed()).containsExactly(Settings.CHECKPOINT_TIMEOUT);
    assertThat(r.pendingRestart()).containsExactly(Settings.PORT);
    assertThat(after.get(Settings.CHECKPOINT_TIMEOUT)).isEqualTo(900);
    assertThat(after.get(Settings.PORT)).isEqualTo(5433);
    assertThat(after.isPendingRestart(Settings.PORT)).isTrue();
    assertThat(before.get(Settings.CHECKPOINT_TIMEOUT)).isEqualTo(300); // snapshots immutable
    assertThat(r.logMessages(before))
        .containsExactly(
            "parameter \"port\" cannot be changed without restarting the server",
            "parameter \"checkpoint_timeout\" changed to \"15min\"");

    // Putting the running value back clears the pending flag.
    Files.writeString(conf, "port = 5433\ncheckpoint_timeout = 15min\n");
    ReloadResult again = after.reload();
    assertThat(again.pendingRestart()).isEmpty();
    assertThat(again.changed()).isEmpty();
    assertThat(again.config().isPendingRestart(Settings.PORT)).isFalse();
  }

  @Test
  void reload_syntaxErrorAppliesNothing() throws Exception {
    Files.writeString(conf, "checkpoint_timeout = 5min\n");
    Config before = load(Map.of());
    Files.writeString(conf, "checkpoint_timeout = 15min\nlisten_addresses = *\n");
    ReloadResult r = before.reload();
    assertThat(r.applied()).isFalse();
    assertThat(r.config()).isSameAs(before);
    assertThat(r.errors()).hasSize(1);
    assertThat(r.logMessages(before))
        .last()
        .isEqualTo("configuration file \"" + conf + "\" contains errors; no changes were applied");
  }

  @Test
  void reload_badValueKeepsOldValueOthersApplied() throws Exception {
    Files.writeString(conf, "checkpoint_timeout = 5min\nwal_sender_timeout = 30s\n");
    Config before = load(Map.of());
    Files.writeString(conf, "checkpoint_timeout = 1s\nwal_sender_timeout = 45s\n");
    ReloadResult r = before.reload();
    assertThat(r.applied()).isTrue();
    assertThat(r.config().get(Settings.CHECKPOINT_TIMEOUT)).isEqualTo(300);
    assertThat(r.config().get(Settings.WAL_SENDER_TIMEOUT)).isEqualTo(45000);
    assertThat(r.changed()).containsExactly(Settings.WAL_SENDER_TIMEOUT);
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).context()).startsWith("line 1 of configuration file");
    assertThat(r.logMessages(before))
        .last()
        .isEqualTo(
            "configuration file \"" + conf + "\" contains errors; unaffected changes were applied");
  }

  @Test
  void reload_removedEntryResetsToDefault() throws Exception {
    Files.writeString(conf, "checkpoint_timeout = 10min\n");
    Config before = load(Map.of());
    Files.writeString(conf, "# nothing\n");
    ReloadResult r = before.reload();
    assertThat(r.config().get(Settings.CHECKPOINT_TIMEOUT)).isEqualTo(300);
    assertThat(r.config().source(Settings.CHECKPOINT_TIMEOUT)).isEqualTo(SettingSource.DEFAULT);
    assertThat(r.logMessages(before))
        .containsExactly(
            "parameter \"checkpoint_timeout\" removed from configuration file, reset to default");
  }

  @Test
  void reload_commandLineOutranksFileChanges() throws Exception {
    Files.writeString(conf, "checkpoint_timeout = 10min\n");
    Config before = load(Map.of("checkpoint_timeout", "20min"));
    Files.writeString(conf, "checkpoint_timeout = 30min\n");
    ReloadResult r = before.reload();
    assertThat(r.changed()).isEmpty();
    assertThat(r.config().get(Settings.CHECKPOINT_TIMEOUT)).isEqualTo(1200);
  }

  @Test
  void withOverride_setsInternalValueAndSurvivesReload() throws Exception {
    Files.writeString(conf, "");
    Config c = load(Map.of()).withOverride(Settings.WAL_SEGMENT_SIZE, 64 << 20);
    assertThat(c.show(Settings.WAL_SEGMENT_SIZE)).isEqualTo("64MB");
    assertThat(c.source(Settings.WAL_SEGMENT_SIZE)).isEqualTo(SettingSource.OVERRIDE);
    ReloadResult r = c.reload();
    assertThat(r.config().get(Settings.WAL_SEGMENT_SIZE)).isEqualTo(64 << 20);
    assertThat(r.changed()).isEmpty();
    assertThatThrownBy(() -> c.withOverride(Settings.WAL_SEGMENT_SIZE, 12345))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parseCommandLineOption_splitsAndNormalizesDashes() throws ConfigException {
    assertThat(ConfigSources.parseCommandLineOption("wal-level=logical"))
        .isEqualTo(Map.entry("wal_level", "logical"));
    assertThat(ConfigSources.parseCommandLineOption("cluster_name=a=b"))
        .isEqualTo(Map.entry("cluster_name", "a=b"));
    assertThatThrownBy(() -> ConfigSources.parseCommandLineOption("port"))
        .hasMessage("-c port requires a value");
  }
}
