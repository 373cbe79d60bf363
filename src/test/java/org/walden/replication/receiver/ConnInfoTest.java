package org.walden.replication.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnInfoTest {

  @Test
  void keywordValuePairs_withSpacesAroundEquals() {
    ConnInfo ci = ConnInfo.parse("  host=10.0.0.1 port = 5433\tuser= repl   dbname =postgres ");
    assertThat(ci.get("host")).contains("10.0.0.1");
    assertThat(ci.port(0)).isEqualTo(5433);
    assertThat(ci.user()).isEqualTo("repl");
    assertThat(ci.get("dbname")).contains("postgres");
    assertThat(ci.get("password")).isEmpty();
  }

  @Test
  void quotedValues_withEscapes() {
    ConnInfo ci =
        ConnInfo.parse("password='it\\'s a \\\\secret' application_name='' options='-c x=1'");
    assertThat(ci.get("password")).contains("it's a \\secret");
    assertThat(ci.get("application_name")).contains("");
    assertThat(ci.nonEmpty("application_name")).isEmpty();
    assertThat(ci.get("options")).contains("-c x=1");
  }

  @Test
  void backslashInUnquotedValue_escapesNextCharacter() {
    assertThat(ConnInfo.parse("password=a\\ b").get("password")).contains("a b");
  }

  @Test
  void laterDuplicateWins() {
    assertThat(ConnInfo.parse("port=1 port=2").port(0)).isEqualTo(2);
  }

  @Test
  void unknownKeyword_isRejectedAsLibpqDoes() {
    assertThatThrownBy(() -> ConnInfo.parse("host=x bogus=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid connection option \"bogus\"");
  }

  @Test
  void missingEquals_isAnError() {
    assertThatThrownBy(() -> ConnInfo.parse("host"))
        .hasMessage("missing \"=\" after \"host\" in connection info string");
    assertThatThrownBy(() -> ConnInfo.parse("host x"))
        .hasMessage("missing \"=\" after \"host\" in connection info string");
  }

  @Test
  void unterminatedQuote_isAnError() {
    assertThatThrownBy(() -> ConnInfo.parse("password='abc"))
        .hasMessage("unterminated quoted string in connection info string");
    assertThatThrownBy(() -> ConnInfo.parse("password='abc\\'"))
        .hasMessage("unterminated quoted string in connection info string");
  }

  @Test
  void invalidValues_areRejected() {
    assertThatThrownBy(() -> ConnInfo.parse("sslmode=maybe"))
        .hasMessage("invalid sslmode value: \"maybe\"");
    assertThatThrownBy(() -> ConnInfo.parse("connect_timeout=soon"))
        .hasMessage("invalid integer value \"soon\" for connection option \"connect_timeout\"");
    assertThatThrownBy(() -> ConnInfo.parse("port=x"))
        .hasMessage("invalid integer value \"x\" for connection option \"port\"");
  }

  @Test
  void acceptsTheKeywordsPostgresWritesIntoPrimaryConninfo() {
    ConnInfo ci =
        ConnInfo.parse(
            "user=postgres passfile='/tmp/p' channel_binding=prefer host=127.0.0.1 port=5432"
                + " sslmode=prefer sslcompression=0 sslsni=1 ssl_min_protocol_version=TLSv1.2"
                + " gssencmode=prefer krbsrvname=postgres target_session_attrs=any hostaddr=127.0.0.1"
                + " connect_timeout=5 application_name=s1");
    assertThat(ci.sslmode()).isEqualTo("prefer");
    assertThat(ci.get("target_session_attrs")).contains("any");
  }

  @Test
  void toString_masksPasswordAndQuotesAsNeeded() {
    ConnInfo ci = ConnInfo.parse("host=h user='a b' password=secret application_name=it\\'s");
    assertThat(ci.toString())
        .isEqualTo("host=h user='a b' password=******** application_name='it\\'s'")
        .doesNotContain("secret");
    ConnInfo back = ConnInfo.parse(ci.toString());
    assertThat(back.get("user")).contains("a b");
    assertThat(back.get("application_name")).contains("it's");
  }

  @Test
  void defaults() {
    ConnInfo ci = ConnInfo.parse("");
    assertThat(ci.hosts()).containsExactly("localhost");
    assertThat(ci.port(0)).isEqualTo(5432);
    assertThat(ci.sslmode()).isEqualTo("prefer");
  }

  @Test
  void hostLists_withPortPerHost() {
    ConnInfo ci = ConnInfo.parse("host=a,b port=1,2");
    assertThat(ci.hosts()).containsExactly("a", "b");
    assertThat(ci.port(1)).isEqualTo(2);
  }

  @Test
  void uri() {
    ConnInfo ci =
        ConnInfo.parse(
            "postgresql://rep%20user:p%40ss@[::1]:5433/db?application_name=s1&connect_timeout=3");
    assertThat(ci.user()).isEqualTo("rep user");
    assertThat(ci.get("password")).contains("p@ss");
    assertThat(ci.hosts()).containsExactly("::1");
    assertThat(ci.port(0)).isEqualTo(5433);
    assertThat(ci.get("dbname")).contains("db");
    assertThat(ci.get("application_name")).contains("s1");
    assertThat(ConnInfo.parse("postgres://h").hosts()).containsExactly("h");
    assertThatThrownBy(() -> ConnInfo.parse("postgresql://h?nope=1"))
        .hasMessage("invalid connection option \"nope\"");
  }
}
