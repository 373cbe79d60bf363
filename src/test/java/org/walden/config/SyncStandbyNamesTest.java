package org.walden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.walden.config.SyncStandbyNames.Method;

class SyncStandbyNamesTest {

  private static SyncStandbyNames parse(String v) throws ConfigException {
    return SyncStandbyNames.parse("synchronous_standby_names", v);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "a|PRIORITY|1|a",
        "a, b ,c|PRIORITY|1|a;b;c",
        "2 (a, b, c)|PRIORITY|2|a;b;c",
        "FIRST 2 (a,b)|PRIORITY|2|a;b",
        "first 1 (s1)|PRIORITY|1|s1",
        "ANY 2 (a, b, c)|QUORUM|2|a;b;c",
        "Any 1 (*)|QUORUM|1|*",
        "*|PRIORITY|1|*",
        "\"my standby\", \"FIRST\"|PRIORITY|1|my standby;FIRST",
        "\"a\"\"b\"|PRIORITY|1|a\"b",
        "12, x$1|PRIORITY|1|12;x$1",
      })
  void parsesPostgresGrammar(String value, Method method, int num, String names)
      throws ConfigException {
    SyncStandbyNames s = parse(value);
    assertThat(s.method()).isEqualTo(method);
    assertThat(s.numSync()).isEqualTo(num);
    assertThat(s.names()).containsExactlyElementsOf(List.of(names.split(";")));
  }

  @Test
  void emptyMeansNoSynchronousReplication() throws ConfigException {
    assertThat(parse("").isDefined()).isFalse();
    assertThat(parse("  ").isDefined()).isFalse();
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FIRST (a)|syntax error at or near \"(\"",
        "ANY 1 a|syntax error at or near \"a\"",
        "a b|syntax error at or near \"b\"",
        "a,|syntax error at end of input",
        "2 (a, b|syntax error at end of input",
        "first|syntax error at end of input",
        "a;b|syntax error at or near \";\"",
        "\"open|unterminated quoted identifier",
        "ANY 1 (a) b|syntax error at or near \"b\"",
      })
  void rejectsSyntaxErrorsLikePostgres(String value, String detail) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(value));
    assertThat(e.sqlState()).isEqualTo("42601");
    assertThat(e.getMessage())
        .isEqualTo("invalid value for parameter \"synchronous_standby_names\": \"" + value + "\"");
    assertThat(e.detail()).isEqualTo(detail);
  }

  @Test
  void zeroStandbysIsTheConfigError() {
    for (String v : List.of("0 (a)", "FIRST 0 (a)", "ANY 0 (a, b)")) {
      ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(v));
      assertThat(e.sqlState()).isEqualTo("22023");
      assertThat(e.getMessage())
          .isEqualTo("number of synchronous standbys (0) must be greater than zero");
    }
  }

  @Test
  void priorityIsFirstMatchingPositionCaseInsensitively_anyIsOne() throws ConfigException {
    SyncStandbyNames first = parse("FIRST 1 (alpha, Beta, *)");
    assertThat(first.priorityOf("ALPHA")).isEqualTo(1);
    assertThat(first.priorityOf("beta")).isEqualTo(2);
    assertThat(first.priorityOf("other")).isEqualTo(3);
    assertThat(parse("a, b").priorityOf("c")).isZero();
    assertThat(parse("ANY 1 (a, b)").priorityOf("b")).isEqualTo(1);
  }

  @Test
  void theSettingRejectsABadValue() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> Settings.SYNCHRONOUS_STANDBY_NAMES.parse("ANY (a)"));
    assertThat(e.sqlState()).isEqualTo("42601");
  }
}
