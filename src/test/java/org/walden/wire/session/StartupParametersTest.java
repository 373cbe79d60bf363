package org.walden.wire.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.walden.wire.PgException;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;
import org.walden.wire.codec.StartupPacket.StartupMessage;

class StartupParametersTest {
  private static StartupParameters of(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return StartupParameters.of(new StartupMessage(3, 0, m));
  }

  @Test
  void of_pgjdbcParameters_becomeSettings() {
    StartupParameters p =
        of(
            "user",
            "u",
            "database",
            "d",
            "client_encoding",
            "UTF8",
            "DateStyle",
            "ISO",
            "TimeZone",
            "Etc/UTC",
            "application_name",
            "app");
    assertThat(p.user()).isEqualTo("u");
    assertThat(p.database()).isEqualTo("d");
    assertThat(p.applicationName()).isEqualTo("app");
    assertThat(p.replication()).isEqualTo(ReplicationMode.NONE);
    assertThat(p.settings())
        .containsEntry("TimeZone", "Etc/UTC")
        .containsEntry("DateStyle", "ISO")
        .doesNotContainKeys("user", "database");
  }

  @Test
  void of_noDatabase_defaultsToUser() {
    assertThat(of("user", "u").database()).isEqualTo("u");
  }

  @Test
  void of_options_parsedAsSettings() {
    StartupParameters p =
        of("user", "u", "options", "-c search_path=a\\ b --work-mem=4MB -cstatement_timeout=5");
    assertThat(p.settings())
        .containsEntry("search_path", "a b")
        .containsEntry("work_mem", "4MB")
        .containsEntry("statement_timeout", "5");
    assertThatThrownBy(() -> of("user", "u", "options", "-x"))
        .isInstanceOfSatisfying(
            PgException.class, e -> assertThat(e.error().sqlState()).isEqualTo("08P01"));
  }

  @ParameterizedTest
  @CsvSource({
    "true, PHYSICAL",
    "on, PHYSICAL",
    "YES, PHYSICAL",
    "1, PHYSICAL",
    "database, LOGICAL",
    "false, NONE",
    "off, NONE",
    "0, NONE"
  })
  void of_replicationValues(String value, ReplicationMode mode) {
    assertThat(of("user", "u", "replication", value).replication()).isEqualTo(mode);
  }

  @Test
  void of_badReplicationOrEncodingOrNoUser_fatal() {
    assertThatThrownBy(() -> of("user", "u", "replication", "maybe"))
        .isInstanceOfSatisfying(
            PgException.class, e -> assertThat(e.error().sqlState()).isEqualTo("22023"));
    assertThatThrownBy(() -> of("user", "u", "client_encoding", "LATIN1"))
        .isInstanceOfSatisfying(
            PgException.class, e -> assertThat(e.error().sqlState()).isEqualTo("0A000"));
    assertThat(of("user", "u", "client_encoding", "utf-8").settings())
        .containsEntry("client_encoding", "UTF8");
    assertThatThrownBy(() -> of("database", "d"))
        .isInstanceOfSatisfying(
            PgException.class, e -> assertThat(e.error().sqlState()).isEqualTo("28000"));
  }
}
