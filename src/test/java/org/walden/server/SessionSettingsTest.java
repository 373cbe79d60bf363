package org.walden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walden.config.Config;
import org.walden.config.ConfigException;

class SessionSettingsTest {

  private final Config config = Config.defaults();

  private SessionSettings fresh(Map<String, String> startup) throws ConfigException {
    SessionSettings s = new SessionSettings(() -> config);
    s.applyStartup(startup, false);
    return s;
  }

  @Test
  void applyStartup_becomesTheResetValueAndIsAlreadyReported() throws Exception {
    SessionSettings s = fresh(Map.of("DateStyle", "ISO", "application_name", "psql"));
    assertThat(s.show("datestyle")).isEqualTo("ISO, MDY");
    assertThat(s.changedReports()).isEmpty();
    s.set("application_name", "other", false, false);
    s.reset("application_name", false);
    assertThat(s.show("application_name")).isEqualTo("psql");
  }

  @Test
  void set_reportedSetting_isReportedOnceWithItsNewValue() throws Exception {
    SessionSettings s = fresh(Map.of());
    s.set("DateStyle", "german, dmy", false, false);
    assertThat(s.changedReports()).containsExactly(Map.entry("DateStyle", "German, DMY"));
    assertThat(s.changedReports()).isEmpty();
    s.set("lock_timeout", "1s", false, false);
    assertThat(s.changedReports()).isEmpty();
  }

  @Test
  void transactionEnded_rollbackUndoesSetAndEveryEndDropsSetLocal() throws Exception {
    SessionSettings s = fresh(Map.of());
    s.set("application_name", "kept", false, false);
    s.transactionEnded(true);
    s.set("application_name", "undone", false, false);
    s.set("lock_timeout", "2s", true, false);
    assertThat(s.show("lock_timeout")).isEqualTo("2s");
    s.transactionEnded(false);
    assertThat(s.show("application_name")).isEqualTo("kept");
    assertThat(s.show("lock_timeout")).isEqualTo("0");
    s.set("lock_timeout", "3s", true, false);
    s.transactionEnded(true);
    assertThat(s.show("lock_timeout")).isEqualTo("0");
  }

  @Test
  void set_followsContextRulesAndValidatesValues() throws Exception {
    SessionSettings s = fresh(Map.of());
    assertThatThrownBy(() -> s.set("port", "1", false, false))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).sqlState())
        .isEqualTo("55P02");
    assertThatThrownBy(() -> s.set("deadlock_timeout", "2s", false, false))
        .extracting(e -> ((ConfigException) e).sqlState())
        .isEqualTo("42501");
    assertThatThrownBy(() -> s.set("TimeZone", "Mars/Olympus", false, false))
        .extracting(e -> ((ConfigException) e).sqlState())
        .isEqualTo("22023");
    assertThatThrownBy(() -> s.set("no_such", "1", false, false))
        .extracting(e -> ((ConfigException) e).sqlState())
        .isEqualTo("42704");
    assertThat(s.set("myapp.flag", "x", false, false)).isEqualTo("x");
    assertThat(s.set("timezone", "Europe/Berlin", false, false)).isEqualTo("Europe/Berlin");
    assertThat(s.set("client_encoding", "unicode", false, false)).isEqualTo("UTF8");
  }
}
