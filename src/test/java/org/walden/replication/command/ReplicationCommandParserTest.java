package org.walden.replication.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.walden.replication.command.ReplicationCommand.BaseBackup;
import org.walden.replication.command.ReplicationCommand.CreateReplicationSlot;
import org.walden.replication.command.ReplicationCommand.DropReplicationSlot;
import org.walden.replication.command.ReplicationCommand.GenericOption;
import org.walden.replication.command.ReplicationCommand.IdentifySystem;
import org.walden.replication.command.ReplicationCommand.Kind;
import org.walden.replication.command.ReplicationCommand.OptionValue.Number;
import org.walden.replication.command.ReplicationCommand.OptionValue.Text;
import org.walden.replication.command.ReplicationCommand.ReadReplicationSlot;
import org.walden.replication.command.ReplicationCommand.Show;
import org.walden.replication.command.ReplicationCommand.StartReplication;
import org.walden.replication.command.ReplicationCommand.TimelineHistory;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

class ReplicationCommandParserTest {

  private static ReplicationCommand parse(String s) throws ReplicationCommandException {
    return ReplicationCommandParser.parse(s).orElseThrow();
  }

  private static GenericOption opt(String name, String text) {
    return new GenericOption(name, Optional.of(new Text(text)));
  }

  private static GenericOption flag(String name) {
    return new GenericOption(name, Optional.empty());
  }

  @Test
  void simpleCommands() throws Exception {
    assertThat(parse("IDENTIFY_SYSTEM")).isEqualTo(new IdentifySystem());
    assertThat(parse("  IDENTIFY_SYSTEM ;  ")).isEqualTo(new IdentifySystem());
    assertThat(parse("SHOW wal_segment_size")).isEqualTo(new Show("wal_segment_size"));
    assertThat(parse("SHOW Data_Directory_Mode")).isEqualTo(new Show("data_directory_mode"));
    assertThat(parse("SHOW \"MiXed\".x")).isEqualTo(new Show("MiXed.x"));
    assertThat(parse("TIMELINE_HISTORY 2")).isEqualTo(new TimelineHistory(new TimelineId(2)));
    assertThat(parse("READ_REPLICATION_SLOT s1")).isEqualTo(new ReadReplicationSlot("s1"));
    assertThat(parse("DROP_REPLICATION_SLOT \"S1\" WAIT"))
        .isEqualTo(new DropReplicationSlot("S1", true));
    assertThat(parse("DROP_REPLICATION_SLOT js1")).isEqualTo(new DropReplicationSlot("js1", false));
  }

  @Test
  void notACommand() throws Exception {
    assertThat(ReplicationCommandParser.parse("identify_system")).isEmpty();
    assertThat(ReplicationCommandParser.parse("SELECT 1")).isEmpty();
    assertThat(ReplicationCommandParser.parse("")).isEmpty();
    assertThat(ReplicationCommandParser.parse("TIMELINE 1")).isEmpty();
    assertThat(ReplicationCommandParser.parse("SHOWx")).isEmpty();
  }

  @Test
  void startReplication() throws Exception {
    assertThat(parse("START_REPLICATION 0/1000000 TIMELINE 1"))
        .isEqualTo(
            new StartReplication(
                Optional.empty(),
                Kind.PHYSICAL,
                Lsn.parse("0/1000000"),
                Optional.of(new TimelineId(1)),
                List.of()));
    assertThat(parse("START_REPLICATION SLOT \"s1\" PHYSICAL AB/CDEF0000;"))
        .isEqualTo(
            new StartReplication(
                Optional.of("s1"),
                Kind.PHYSICAL,
                Lsn.of(0xAB_CDEF0000L),
                Optional.empty(),
                List.of()));
    assertThat(
            parse(
                "START_REPLICATION SLOT ls1 LOGICAL 0/0 (\"include-xids\" '0', \"skip-empty-xacts\")"))
        .isEqualTo(
            new StartReplication(
                Optional.of("ls1"),
                Kind.LOGICAL,
                Lsn.INVALID,
                Optional.empty(),
                List.of(opt("include-xids", "0"), flag("skip-empty-xacts"))));
  }

  @Test
  void createSlotNewAndLegacySyntax() throws Exception {
    assertThat(
            parse("CREATE_REPLICATION_SLOT \"pg_basebackup_7\" TEMPORARY PHYSICAL ( RESERVE_WAL)"))
        .isEqualTo(
            new CreateReplicationSlot(
                "pg_basebackup_7",
                true,
                Kind.PHYSICAL,
                Optional.empty(),
                List.of(flag("reserve_wal"))));
    assertThat(parse("CREATE_REPLICATION_SLOT js1  PHYSICAL"))
        .isEqualTo(
            new CreateReplicationSlot("js1", false, Kind.PHYSICAL, Optional.empty(), List.of()));
    assertThat(parse("CREATE_REPLICATION_SLOT s PHYSICAL RESERVE_WAL"))
        .isEqualTo(
            new CreateReplicationSlot(
                "s", false, Kind.PHYSICAL, Optional.empty(), List.of(opt("reserve_wal", "true"))));
    assertThat(
            parse(
                "CREATE_REPLICATION_SLOT \"ls1\" LOGICAL \"test_decoding\" ( SNAPSHOT 'nothing', TWO_PHASE)"))
        .isEqualTo(
            new CreateReplicationSlot(
                "ls1",
                false,
                Kind.LOGICAL,
                Optional.of("test_decoding"),
                List.of(opt("snapshot", "nothing"), flag("two_phase"))));
    assertThat(parse("CREATE_REPLICATION_SLOT l LOGICAL td NOEXPORT_SNAPSHOT TWO_PHASE"))
        .isEqualTo(
            new CreateReplicationSlot(
                "l",
                false,
                Kind.LOGICAL,
                Optional.of("td"),
                List.of(opt("snapshot", "nothing"), opt("two_phase", "true"))));
  }

  @Test
  void baseBackupOptions() throws Exception {
    assertThat(parse("BASE_BACKUP")).isEqualTo(new BaseBackup(List.of()));
    assertThat(
            parse(
                "BASE_BACKUP ( LABEL 'pg_basebackup base backup',  PROGRESS,  CHECKPOINT 'fast',"
                    + "  WAIT 0,  MANIFEST 'yes',  TARGET 'client', MAX_RATE 32, it 's_ok on')"))
        .satisfies(c ->
            assertThat(((BaseBackup) c).options())
                .containsExactly(
                    opt("label", "pg_basebackup base backup"),
                    flag("progress"),
                    opt("checkpoint", "fast"),
                    new GenericOption("wait", Optional.of(new Number(0))),
                    opt("manifest", "yes"),
                    opt("target", "client"),
                    new GenericOption("max_rate", Optional.of(new Number(32))),
                    opt("it", "s_ok on")));
  }

  @Test
  void quoting() throws Exception {
    assertThat(parse("SHOW \"a\"\"b\"")).isEqualTo(new Show("a\"b"));
    assertThat(((BaseBackup) parse("BASE_BACKUP (LABEL 'it''s')")).options())
        .containsExactly(opt("label", "it's"));
  }

  @Test
  void errors() {
    assertError("TIMELINE_HISTORY 0", "42601", "invalid timeline 0");
    assertError("START_REPLICATION 0/0 TIMELINE 0", "42601", "invalid timeline 0");
    assertError("IDENTIFY_SYSTEM x", "42601", "syntax error");
    assertError("IDENTIFY_SYSTEM;;", "42601", "syntax error");
    assertError("START_REPLICATION slot s 0/0", "42601", "syntax error");
    assertError("START_REPLICATION LOGICAL 0/0", "42601", "syntax error");
    assertError("START_REPLICATION 0/0 (\"a\")", "42601", "syntax error");
    assertError("BASE_BACKUP LABEL 'x' PROGRESS", "42601", "syntax error");
    assertError("BASE_BACKUP ()", "42601", "syntax error");
    assertError("SHOW 'x", "42601", "unterminated quoted string");
    assertError("'abc", "42601", "unterminated quoted string");
    assertError("START_REPLICATION 123456789/0", "42601", "invalid streaming start location");
    assertError("CREATE_REPLICATION_SLOT s LOGICAL", "42601", "syntax error");
  }

  private static void assertError(String text, String state, String message) {
    assertThatThrownBy(() -> ReplicationCommandParser.parse(text))
        .isInstanceOfSatisfying(
            ReplicationCommandException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo(state);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  private static final String[] PIECES = {
    "IDENTIFY_SYSTEM",
    "SHOW",
    "START_REPLICATION",
    "SLOT",
    "PHYSICAL",
    "LOGICAL",
    "TIMELINE",
    "CREATE_REPLICATION_SLOT",
    "TEMPORARY",
    "RESERVE_WAL",
    "BASE_BACKUP",
    "DROP_REPLICATION_SLOT",
    "WAIT",
    "TIMELINE_HISTORY",
    "READ_REPLICATION_SLOT",
    "(",
    ")",
    ",",
    ";",
    ".",
    "'",
    "''",
    "\"",
    "0/0",
    "FF/FFFFFFFF",
    "123456789012345678901234",
    "0",
    "x",
    "Y",
    "\u00e9",
    "$",
    "/",
    " ",
    "\t",
    "'str'",
    "\"Q\"",
    "E'",
    "-1",
    "0/",
    "/0",
    "\0"
  };

  @Test
  void fuzzNeverThrowsAnythingElse() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(12);
      for (int j = 0; j < n; j++) {
        if (random.nextInt(5) == 0) {
          b.append((char) random.nextInt(0x3000));
        } else {
          b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        if (random.nextBoolean()) {
          b.append(' ');
        }
      }
      String text = b.toString();
      try {
        ReplicationCommandParser.parse(text);
      } catch (ReplicationCommandException expected) {
        assertThat(expected.sqlState()).isEqualTo("42601");
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ": parse(" + text + ") threw " + e, e);
      }
    }
  }
}
