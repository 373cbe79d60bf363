package org.walden.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;

/** hba.conf parsing and first-match-wins matching, as tables. */
class HbaRulesTest {
  private static final String HBA =
      """
      # TYPE    DATABASE        USER        ADDRESS                  METHOD
      host      replication     repl        10.0.0.0/8               scram-sha-256
      host      "all"           alice       127.0.0.1/32             trust        # quoted: a db named all
      hostssl   all             all         0.0.0.0/0                trust
      hostnossl sameuser        all         192.168.1.0 255.255.255.0 md5
      host      app,"other db"  bob,carol   127.0.0.1/32             password
      host      all             all         ::1/128                  trust
      host      all             admins      127.0.0.1/32             trust
      local     all             all                                  trust
      host      all             all         samenet                  md5
      host      all             all         all                      reject
      """;

  private static final LocalInterfaces LAN =
      () ->
          List.of(
              new LocalInterfaces.InterfaceAddr(address("172.16.5.1"), 24),
              new LocalInterfaces.InterfaceAddr(address("127.0.0.1"), 8));

  private static InetAddress address(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HbaRules rules() throws HbaParseException {
    return HbaParser.parse(HBA, "hba.conf");
  }

  @ParameterizedTest(name = "{0} {1}@{2} repl={3} -> line {4}")
  @CsvSource({
    // addr,          db,       user,   replication, expected line (0 = none)
    "10.1.2.3,        x,        repl,   PHYSICAL, 2",
    "10.1.2.3,        x,        repl,   NONE,     11",
    "10.1.2.3,        x,        other,  PHYSICAL, 0",
    "127.0.0.1,       all,      alice,  NONE,     3",
    "127.0.0.1,       foo,      alice,  NONE,     10",
    "192.168.1.77,    bob,      bob,    NONE,     5",
    "192.168.1.77,    notbob,   bob,    NONE,     11",
    "192.168.2.77,    bob,      bob,    NONE,     11",
    "127.0.0.1,       app,      bob,    NONE,     6",
    "127.0.0.1,       other db, carol,  NONE,     6",
    "127.0.0.1,       app,      dave,   NONE,     10",
    "127.0.0.1,       app,      admins, NONE,     8",
    "::1,             app,      dave,   NONE,     7",
    "172.16.5.200,    app,      dave,   NONE,     10",
    "172.16.6.200,    app,      dave,   NONE,     11",
    "127.0.0.1,       app,      repl,   LOGICAL,  10",
    "127.0.0.1,       repl,     repl,   LOGICAL,  10",
    "192.168.1.9,     repl,     repl,   LOGICAL,  5",
  })
  void match_table(String addr, String db, String user, ReplicationMode mode, int line)
      throws Exception {
    ConnectionRequest req = new ConnectionRequest(address(addr), false, false, db, user, mode);
    var match = rules().match(req, LAN);
    if (line == 0) {
      assertThat(match).isEmpty();
    } else {
      assertThat(match).isPresent();
      assertThat(match.get().line()).isEqualTo(line);
    }
  }

  @Test
  void match_physicalReplication_allDoesNotMatch() throws Exception {
    HbaRules r = HbaParser.parse("host all all 127.0.0.1/32 trust\n", "f");
    ConnectionRequest phys =
        new ConnectionRequest(
            address("127.0.0.1"), false, false, "replication", "u", ReplicationMode.PHYSICAL);
    assertThat(r.match(phys, LAN)).isEmpty();
    ConnectionRequest logical =
        new ConnectionRequest(
            address("127.0.0.1"), false, false, "db", "u", ReplicationMode.LOGICAL);
    assertThat(r.match(logical, LAN)).isPresent();
  }

  @Test
  void match_hostsslWithoutTls_neverMatches() throws Exception {
    HbaRules r = HbaParser.parse("hostssl all all all trust\n", "f");
    ConnectionRequest req =
        new ConnectionRequest(address("127.0.0.1"), false, false, "d", "u", ReplicationMode.NONE);
    assertThat(r.match(req, LAN)).isEmpty();
  }

  @Test
  void match_localRule_neverMatchesTcp() throws Exception {
    HbaRules r = HbaParser.parse("local all all trust\n", "f");
    ConnectionRequest tcp =
        new ConnectionRequest(address("127.0.0.1"), false, false, "d", "u", ReplicationMode.NONE);
    ConnectionRequest local =
        new ConnectionRequest(null, false, false, "d", "u", ReplicationMode.NONE);
    assertThat(r.match(tcp, LAN)).isEmpty();
    assertThat(r.match(local, LAN)).isPresent();
  }

  @Test
  void parse_methodsAndOptions_kept() throws Exception {
    HbaRule r =
        HbaParser.parse("host db u 127.0.0.1/32 md5 clientcert=verify-ca  map=x\n", "f")
            .rules()
            .get(0);
    assertThat(r.method()).isEqualTo(AuthMethod.MD5);
    assertThat(r.options()).containsEntry("clientcert", "verify-ca").containsEntry("map", "x");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "hots all all 127.0.0.1/32 trust          | invalid connection type \"hots\"",
        "host all                                 | end-of-line before role specification",
        "host                                     | end-of-line before database specification",
        "host all all                             | end-of-line before IP address specification",
        "host all all 127.0.0.1/32                | end-of-line before authentication method",
        "host all all 127.0.0.1/33 trust          | invalid CIDR mask",
        "host all all example.com trust           | host names are not supported",
        "host all all 127.0.0.1 trust             | invalid IP mask \"trust\"",
        "host all all 127.0.0.1/32 peer           | invalid or unsupported authentication method \"peer\"",
        "host all all 127.0.0.1/32 trust,md5      | multiple values specified for authentication type",
        "host all all 127.0.0.1/32 trust x        | authentication option not in name=value format",
        "host @dbs all 127.0.0.1/32 trust         | file inclusion",
        "host all +grp 127.0.0.1/32 trust         | group membership",
        "host samerole all 127.0.0.1/32 trust     | not supported",
        "host \"unterminated all 0.0.0.0/0 trust  | unterminated quoted string",
        "host all all 127.0.0.1/32,::1/128 trust  | multiple values specified for IP address",
      })
  void parse_badLine_errorNamesFileAndLine(String line, String problem) {
    assertThatThrownBy(() -> HbaParser.parse("# header\n" + line.trim() + "\n", "/etc/hba.conf"))
        .isInstanceOfSatisfying(
            HbaParseException.class,
            e -> {
              assertThat(e.getMessage()).contains(problem);
              assertThat(e.getMessage()).endsWith("line 2 of configuration file \"/etc/hba.conf\"");
              assertThat(e.line()).isEqualTo(2);
            });
  }

  @Test
  void reload_badFile_keepsOldRules(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("hba.conf");
    Files.writeString(f, "host all all 127.0.0.1/32 trust\n");
    HbaConfig cfg = HbaConfig.load(f);
    HbaRules before = cfg.current();
    Files.writeString(f, "host all all 127.0.0.1/32 bogus\n");
    assertThatThrownBy(cfg::reload).isInstanceOf(HbaParseException.class);
    assertThat(cfg.current()).isSameAs(before);
    Files.writeString(f, "host all all 127.0.0.1/32 reject\n");
    cfg.reload();
    assertThat(cfg.current().rules().get(0).method()).isEqualTo(AuthMethod.REJECT);
  }
}
