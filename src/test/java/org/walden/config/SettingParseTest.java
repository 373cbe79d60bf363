package org.walden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingParseTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "on|true",
        "off|false",
        "ON|true",
        "Off|false",
        "true|true",
        "false|false",
        "TRUE|true",
        "yes|true",
        "no|false",
        "1|true",
        "0|false",
        "t|true",
        "tr|true",
        "tru|true",
        "f|false",
        "fa|false",
        "y|true",
        "ye|true",
        "n|false",
        "of|false",
        "OF|false"
      })
  void parseBool_acceptsPostgresSpellingsAndPrefixes(String text, boolean expected)
      throws ConfigException {
    assertThat(Settings.FSYNC.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @CsvSource(
      delimiter = '|',
      value = {"o", "truex", "'  on'", "'on '", "2", "10", "00", "onn", "offf", "nope", "''"})
  void parseBool_rejectsOthersWithPostgresMessage(String text) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> Settings.FSYNC.parse(text));
    assertThat(e).hasMessage("parameter \"fsync\" requires a Boolean value");
    assertThat(e.sqlState()).isEqualTo("22023");
  }

  @ParameterizedTest(name = "checkpoint_timeout {0} -> {1} s")
  @CsvSource(
      delimiter = '|',
      value = {
        "300|300",
        "5min|300",
        "1.5min|90",
        "90s|90",
        "90 s|90",
        "' 300 '|300",
        "'5 min '|300",
        "1h|3600",
        "1d|86400",
        "30500ms|30",
        "31500ms|32",
        "30000000us|30",
        "0x12c|300",
        "0454|300",
        "3e2|300",
        "300.4|300",
        "1.5e2|150"
      })
  void parseInt_convertsAndRoundsToBaseUnit(String text, int seconds) throws ConfigException {
    assertThat(Settings.CHECKPOINT_TIMEOUT.parse(text)).isEqualTo(seconds);
  }

  // A fraction of a unit keeps only whole next-smaller units: 0.001TB is 1.024GB, so 1GB.
  @ParameterizedTest(name = "max_wal_size {0} -> {1} MB")
  @CsvSource(
      delimiter = '|',
      value = {
        "1GB|1024",
        "1TB|1048576",
        "1.5GB|1536",
        "100|100",
        "1536kB|2",
        "2560kB|2",
        "3584kB|4",
        "2097152B|2",
        "0.001TB|1024",
        "0.0015TB|2048"
      })
  void parseInt_memoryUnits(String text, int mb) throws ConfigException {
    assertThat(Settings.MAX_WAL_SIZE.parse(text)).isEqualTo(mb);
  }

  @ParameterizedTest(name = "wal_sender_timeout {0} -> {1} ms")
  @CsvSource(
      delimiter = '|',
      value = {"60s|60000", "1500us|2", "2500us|2", "0.5|0", "1.5|2", "200ms|200", "1min|60000"})
  void parseInt_millisecondBase(String text, int ms) throws ConfigException {
    assertThat(Settings.WAL_SENDER_TIMEOUT.parse(text)).isEqualTo(ms);
  }

  @Test
  void parseInt_portForms() throws ConfigException {
    assertThat(Settings.PORT.parse("0x1538")).isEqualTo(5432);
    assertThat(Settings.PORT.parse("012470")).isEqualTo(5432);
    assertThat(Settings.PORT.parse("5432.5")).isEqualTo(5432); // rint: half to even
    assertThat(Settings.PORT.parse("5433.5")).isEqualTo(5434);
    assertThat(Settings.PORT.parse("1e3")).isEqualTo(1000);
    assertThat(Settings.PORT.parse("+5432")).isEqualTo(5432);
  }

  @ParameterizedTest(name = "port \"{0}\" is invalid")
  @CsvSource(
      delimiter = '|',
      value = {"abc", "''", "5432kB", "-.5", "' .5'", "08", "nan", "inf", "5432x", "0x"})
  void parseInt_invalidWithoutHint(String text) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> Settings.PORT.parse(text));
    assertThat(e).hasMessage("invalid value for parameter \"port\": \"" + text + "\"");
    assertThat(e.sqlState()).isEqualTo("22023");
    assertThat(e.hint()).isNull();
  }

  @Test
  void parseInt_outOfIntRangeHasHint() {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> Settings.PORT.parse("3000000000"));
    assertThat(e).hasMessage("invalid value for parameter \"port\": \"3000000000\"");
    assertThat(e.hint()).isEqualTo("Value exceeds integer range.");
    ConfigException huge =
        catchThrowableOfType(
            ConfigException.class, () -> Settings.PORT.parse("99999999999999999999999"));
    assertThat(huge.hint()).isEqualTo("Value exceeds integer range.");
  }

  @Test
  void parseInt_badUnitHintsValidUnits() {
    ConfigException time =
        catchThrowableOfType(
            ConfigException.class, () -> Settings.CHECKPOINT_TIMEOUT.parse("5mins"));
    assertThat(time).hasMessage("invalid value for parameter \"checkpoint_timeout\": \"5mins\"");
    assertThat(time.hint())
        .isEqualTo(
            "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".");
    ConfigException caseMatters =
        catchThrowableOfType(ConfigException.class, () -> Settings.MAX_WAL_SIZE.parse("1KB"));
    assertThat(caseMatters.hint())
        .isEqualTo("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".");
    ConfigException wrongKind =
        catchThrowableOfType(ConfigException.class, () -> Settings.MAX_WAL_SIZE.parse("5s"));
    assertThat(wrongKind.hint()).startsWith("Valid units for this parameter are \"B\"");
  }

  @Test
  void parseInt_outOfBoundsNamesBaseUnitAndRange() {
    assertThatThrownBy(() -> Settings.CHECKPOINT_TIMEOUT.parse("10"))
        .hasMessage(
            "10 s is outside the valid range for parameter \"checkpoint_timeout\" (30 .. 86400)");
    // 500ms is 0.5 s, which rounds to 0 s
    assertThatThrownBy(() -> Settings.CHECKPOINT_TIMEOUT.parse("500ms"))
        .hasMessage(
            "0 s is outside the valid range for parameter \"checkpoint_timeout\" (30 .. 86400)");
    assertThatThrownBy(() -> Settings.MAX_WAL_SIZE.parse("512kB"))
        .hasMessage(
            "0 MB is outside the valid range for parameter \"max_wal_size\" (2 .. 2147483647)");
    assertThatThrownBy(() -> Settings.PORT.parse("99999"))
        .hasMessage("99999 is outside the valid range for parameter \"port\" (1 .. 65535)");
    assertThatThrownBy(() -> Settings.PORT.parse("-1"))
        .hasMessage("-1 is outside the valid range for parameter \"port\" (1 .. 65535)");
  }

  @Test
  void showInt_usesLargestEvenUnitAsPostgres() {
    assertThat(Settings.MAX_WAL_SIZE.show(1024)).isEqualTo("1GB");
    assertThat(Settings.MAX_WAL_SIZE.show(1536)).isEqualTo("1536MB");
    assertThat(Settings.MAX_WAL_SIZE.show(1048576)).isEqualTo("1TB");
    assertThat(Settings.MIN_WAL_SIZE.show(80)).isEqualTo("80MB");
    assertThat(Settings.WAL_KEEP_SIZE.show(0)).isEqualTo("0");
    assertThat(Settings.MAX_SLOT_WAL_KEEP_SIZE.show(-1)).isEqualTo("-1");
    assertThat(Settings.CHECKPOINT_TIMEOUT.show(300)).isEqualTo("5min");
    assertThat(Settings.CHECKPOINT_TIMEOUT.show(90)).isEqualTo("90s");
    assertThat(Settings.CHECKPOINT_TIMEOUT.show(86400)).isEqualTo("1d");
    assertThat(Settings.WAL_SENDER_TIMEOUT.show(60000)).isEqualTo("1min");
    assertThat(Settings.WAL_SENDER_TIMEOUT.show(90000000)).isEqualTo("25h");
    assertThat(Settings.WAL_WRITER_DELAY.show(200)).isEqualTo("200ms");
    assertThat(Settings.WAL_RETRIEVE_RETRY_INTERVAL.show(5000)).isEqualTo("5s");
    assertThat(Settings.WAL_SEGMENT_SIZE.show(16 << 20)).isEqualTo("16MB");
    assertThat(Settings.DATA_DIRECTORY_MODE.show(0750)).isEqualTo("0750");
    assertThat(Settings.PORT.show(5432)).isEqualTo("5432");
  }

  @Test
  void intHelpers_convertToJavaTypes() {
    assertThat(Settings.CHECKPOINT_TIMEOUT.toDuration(300)).hasSeconds(300);
    assertThat(Settings.WAL_SENDER_TIMEOUT.toDuration(1500)).hasMillis(1500);
    assertThat(Settings.MAX_WAL_SIZE.toBytes(1024)).isEqualTo(1L << 30);
    assertThat(Settings.WAL_SEGMENT_SIZE.toBytes(16 << 20)).isEqualTo(16L << 20);
    assertThatThrownBy(() -> Settings.PORT.toDuration(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void parseReal_rangeAndFormat() throws ConfigException {
    RealSetting s = Settings.CHECKPOINT_COMPLETION_TARGET;
    assertThat(s.parse("0.5")).isEqualTo(0.5);
    assertThat(s.parse("1e-1")).isEqualTo(0.1);
    assertThat(s.parse(" .25 ")).isEqualTo(0.25);
    assertThat(s.parse("1")).isEqualTo(1.0);
    assertThat(s.show(0.9)).isEqualTo("0.9");
    assertThatThrownBy(() -> s.parse("1.5"))
        .hasMessage(
            "1.5 is outside the valid range for parameter \"checkpoint_completion_target\""
                + " (0 .. 1)");
    assertThatThrownBy(() -> s.parse("nan"))
        .hasMessage("invalid value for parameter \"checkpoint_completion_target\": \"nan\"");
    assertThatThrownBy(() -> s.parse("0.5x"))
        .hasMessage("invalid value for parameter \"checkpoint_completion_target\": \"0.5x\"");
  }

  @ParameterizedTest(name = "%g of {0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0.9|0.9",
        "100000|100000",
        "1000000|1e+06",
        "123456789|1.23457e+08",
        "0.0001|0.0001",
        "0.00001|1e-05",
        "1.5|1.5",
        "-2.25|-2.25",
        "0|0",
        "0.1|0.1",
        "2.5e-300|2.5e-300"
      })
  void formatG_matchesC(double v, String expected) {
    assertThat(NumberSyntax.formatG(v)).isEqualTo(expected);
  }

  @Test
  void parseEnum_namesAliasesAndCase() throws ConfigException {
    var sc = Settings.SYNCHRONOUS_COMMIT;
    assertThat(sc.parse("remote_apply")).isEqualTo(SynchronousCommit.REMOTE_APPLY);
    assertThat(sc.parse("ON")).isEqualTo(SynchronousCommit.ON);
    assertThat(sc.parse("true")).isEqualTo(SynchronousCommit.ON);
    assertThat(sc.parse("yes")).isEqualTo(SynchronousCommit.ON);
    assertThat(sc.parse("1")).isEqualTo(SynchronousCommit.ON);
    assertThat(sc.parse("false")).isEqualTo(SynchronousCommit.OFF);
    assertThat(sc.parse("no")).isEqualTo(SynchronousCommit.OFF);
    assertThat(sc.parse("0")).isEqualTo(SynchronousCommit.OFF);
    assertThat(sc.parse("Local")).isEqualTo(SynchronousCommit.LOCAL);
    assertThat(sc.show(SynchronousCommit.ON)).isEqualTo("on");
    assertThat(Settings.WAL_LEVEL.parse("hot_standby")).isEqualTo(WalLevel.REPLICA);
    assertThat(Settings.WAL_LEVEL.show(WalLevel.REPLICA)).isEqualTo("replica");
    assertThat(Settings.DEFAULT_TRANSACTION_ISOLATION.parse("REPEATABLE READ"))
        .isEqualTo(TransactionIsolation.REPEATABLE_READ);
    assertThat(Settings.DEFAULT_TRANSACTION_ISOLATION.show(TransactionIsolation.READ_COMMITTED))
        .isEqualTo("read committed");
    assertThat(Settings.ARCHIVE_MODE.parse("always")).isEqualTo(ArchiveMode.ALWAYS);
  }

  @Test
  void parseEnum_rejectsWithAvailableValuesHint() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> Settings.SYNCHRONOUS_COMMIT.parse("maybe"));
    assertThat(e).hasMessage("invalid value for parameter \"synchronous_commit\": \"maybe\"");
    assertThat(e.sqlState()).isEqualTo("22023");
    assertThat(e.hint()).isEqualTo("Available values: local, remote_write, remote_apply, on, off.");
    ConfigException prefix =
        catchThrowableOfType(ConfigException.class, () -> Settings.SYNCHRONOUS_COMMIT.parse("of"));
    assertThat(prefix).isNotNull(); // enums take no prefixes, unlike booleans
    assertThat(
            catchThrowableOfType(ConfigException.class, () -> Settings.ARCHIVE_MODE.parse("x"))
                .hint())
        .isEqualTo("Available values: always, on, off.");
  }

  @Test
  void stringChecks_recoveryTargetsAndSlotName() throws ConfigException {
    assertThat(Settings.RECOVERY_TARGET_LSN.parse("0/3000060")).isEqualTo("0/3000060");
    assertThat(Settings.RECOVERY_TARGET_LSN.parse("")).isEmpty();
    assertThatThrownBy(() -> Settings.RECOVERY_TARGET_LSN.parse("0/xyz"))
        .hasMessage("invalid value for parameter \"recovery_target_lsn\": \"0/xyz\"");
    assertThatThrownBy(() -> Settings.RECOVERY_TARGET_LSN.parse("123456789/0"))
        .isInstanceOf(ConfigException.class);
    assertThat(Settings.RECOVERY_TARGET_TIMELINE.parse("latest")).isEqualTo("latest");
    assertThat(Settings.RECOVERY_TARGET_TIMELINE.parse("0x10")).isEqualTo("0x10");
    ConfigException tli =
        catchThrowableOfType(
            ConfigException.class, () -> Settings.RECOVERY_TARGET_TIMELINE.parse("abc"));
    assertThat(tli.detail()).isEqualTo("recovery_target_timeline is not a valid number.");
    ConfigException slot =
        catchThrowableOfType(
            ConfigException.class, () -> Settings.PRIMARY_SLOT_NAME.parse("Bad-Slot"));
    assertThat(slot).hasMessage("invalid value for parameter \"primary_slot_name\": \"Bad-Slot\"");
    assertThat(slot.detail()).contains("contains invalid character");
    ConfigException name =
        catchThrowableOfType(
            ConfigException.class, () -> Settings.RECOVERY_TARGET_NAME.parse("x".repeat(64)));
    assertThat(name.detail())
        .isEqualTo("recovery_target_name is too long (maximum 63 characters).");
  }

  @Test
  void showParse_roundTripsRandomIntValues() throws ConfigException {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (Setting<?> s : Settings.all()) {
      if (!(s instanceof IntSetting is)) {
        continue;
      }
      for (int k = 0; k < 200; k++) {
        long span = (long) is.max() - is.min();
        int v = (int) (is.min() + (long) (random.nextDouble() * span));
        if (k % 3 == 0) {
          // values that are whole units exercise the unit-picking path
          v = (int) Math.max(is.min(), Math.min(is.max(), (long) random.nextInt(100) * 1024));
        }
        String shown = is.show(v);
        assertThat(is.parse(shown))
            .as("seed %d: %s shown as %s", seed, is.name(), shown)
            .isEqualTo(v);
      }
    }
  }
}
