package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.node.StandbyClone;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;

/**
 * The replication protocol of a promoted server (timeline 2) as PostgreSQL 15 speaks it:
 * IDENTIFY_SYSTEM's timeline, TIMELINE_HISTORY and its errors, START_REPLICATION on the old
 * timeline (streamed up to the switch point, then CopyDone and the next-timeline result set, or
 * only that result set when starting at the switch point), the errors for timelines and starting
 * points not in the history — against the raw protocol and with the real pg_receivewal, which
 * switches timelines by itself.
 */
class TimelineProtocolIT {
  static final Path PG_RECEIVEWAL = Path.of("/usr/lib/postgresql/15/bin/pg_receivewal");
  static final WalSegmentSize SEG = new WalSegmentSize(Primary.SEGMENT);

  @TempDir Path tmp;

  @Test
  void promotedServerSpeaksTimelinesAsPostgres() throws Exception {
    Path pdir = tmp.resolve("p");
    Path sdir = tmp.resolve("s");
    Node.init(new InitOptions(pdir, SEG, Primary.USER, "trust"));
    int pport = Primary.freePort();
    StandbyClone.cloneStopped(
        pdir,
        sdir,
        Map.of(
            "primary_conninfo",
            "host=127.0.0.1 port=" + pport + " user=" + Primary.USER + " application_name=s"));
    Node s = null;
    try (Node p = Node.start(new DataDirectory(pdir), Map.of("port", Integer.toString(pport)))) {
      s = Node.start(new DataDirectory(sdir), Map.of("port", Integer.toString(Primary.freePort())));
      exec(p.port(), "create table t (id int primary key, v bigint, w bigint)");
      exec(p.port(), "insert into t select g, g, g from generate_series(1, 6000) g");
      Lsn end = p.wal().flushedUpto();
      Node standby = s;
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> standby.lastReplayedLsn().map(l -> l.isAtOrAfter(end)).orElse(false));
    }
    try {
      assertThat(s.promote(true, Duration.ofSeconds(60))).isTrue();
      for (int i = 0; i < 60; i++) {
        exec(
            s.port(),
            "insert into t select g, g, g from generate_series("
                + (10000 + i * 1000)
                + ", "
                + (10999 + i * 1000)
                + ") g");
      }
      String history = Files.readString(s.segments().dir().resolve("00000002.history"));
      Lsn switchPoint = Lsn.parse(history.split("\t")[1]);
      Lsn segStart = SEG.segmentStart(switchPoint);
      assertThat(s.wal().flushedUpto().minus(switchPoint)).isGreaterThan(2L * Primary.SEGMENT);

      try (ReplicationClient c = ReplicationClient.connect(s.port(), "raw")) {
        ReplicationClient.Result id = c.query("IDENTIFY_SYSTEM");
        assertThat(id.rows().get(0).get(1)).isEqualTo("2");

        ReplicationClient.Result h = c.query("TIMELINE_HISTORY 2");
        assertThat(h.columns()).containsExactly("filename", "content");
        assertThat(h.rows()).containsExactly(List.of("00000002.history", history));
        assertThat(h.tags()).containsExactly("TIMELINE_HISTORY");

        ReplicationClient.Result missing = c.query("TIMELINE_HISTORY 3");
        assertThat(missing.error().get('C')).isEqualTo("58P01");
        assertThat(missing.error().get('M'))
            .isEqualTo(
                "could not open file \"pg_wal/00000003.history\": No such file or directory");
        ReplicationClient.Result zero = c.query("TIMELINE_HISTORY 0");
        assertThat(zero.error().get('C')).isEqualTo("42601");
        assertThat(zero.error().get('M')).isEqualTo("invalid timeline 0");

        ReplicationClient.Result notOurs = c.query("START_REPLICATION 0/1000000 TIMELINE 3");
        assertThat(notOurs.error().get('C')).isEqualTo("XX000");
        assertThat(notOurs.error().get('M'))
            .isEqualTo("requested timeline 3 is not in this server's history");

        Lsn past = SEG.segmentStart(switchPoint).plus(Primary.SEGMENT);
        ReplicationClient.Result forked = c.query("START_REPLICATION " + past + " TIMELINE 1");
        assertThat(forked.error().get('M'))
            .isEqualTo(
                "requested starting point "
                    + past
                    + " on timeline 1 is not in this server's history");
        assertThat(forked.error().get('D'))
            .isEqualTo("This server's history forked from timeline 1 at " + switchPoint + ".");

        // exactly at the switch point: no COPY, only where timeline 2 starts
        ReplicationClient.Result at = c.query("START_REPLICATION " + switchPoint + " TIMELINE 1");
        assertThat(at.error()).isNull();
        assertThat(at.columns()).containsExactly("next_tli", "next_tli_startpos");
        assertThat(at.types()).containsExactly(20, 25);
        assertThat(at.rows()).containsExactly(List.of("2", switchPoint.toString()));
        assertThat(at.tags()).containsExactly("START_STREAMING", "START_REPLICATION");

        // from the segment start: the old timeline up to its switch point, then its end
        c.startReplication("START_REPLICATION " + segStart + " TIMELINE 1");
        Lsn next = segStart;
        while (true) {
          ReplicationClient.Message m = c.read();
          if (m.type() == 'c') {
            break;
          }
          assertThat(m.type()).isEqualTo('d');
          if (ReplicationClient.decode(m.body()) instanceof ReplicationClient.Stream.XLogData w) {
            assertThat(w.dataStart()).isEqualTo(next);
            assertThat(w.walEnd()).isEqualTo(switchPoint);
            next = next.plus(w.data().length);
          }
        }
        assertThat(next).isEqualTo(switchPoint);
        c.copyDone();
        ReplicationClient.Result after = c.collect();
        assertThat(after.rows()).containsExactly(List.of("2", switchPoint.toString()));
        assertThat(after.tags()).containsExactly("START_STREAMING", "START_REPLICATION");
        // the connection is usable afterwards
        assertThat(c.query("IDENTIFY_SYSTEM").rows()).hasSize(1);
      }

      if (Files.isExecutable(PG_RECEIVEWAL)) {
        receiveWalAcrossTheSwitch(s, switchPoint);
      }
    } finally {
      s.close();
    }
    assumeTrue(Files.isExecutable(PG_RECEIVEWAL), "pg_receivewal 15 not installed");
  }

  /**
   * pg_receivewal resumes from a partial file of timeline 1, reaches the end of timeline 1, fetches
   * the history and goes on on timeline 2 (PostgreSQL's own timeline switch).
   */
  private void receiveWalAcrossTheSwitch(Node s, Lsn switchPoint) throws Exception {
    Path target = Files.createDirectory(tmp.resolve("received"));
    long switchSeg = SEG.segmentOf(switchPoint);
    String tli1Name = SEG.name(TimelineId.FIRST, switchSeg).fileName();
    Files.createFile(target.resolve(tli1Name + ".partial")); // empty: start there on timeline 1
    Lsn stop = SEG.startOf(switchSeg + 2).plus(100);
    Path log = tmp.resolve("pg_receivewal.log");
    Process p =
        new ProcessBuilder(
                PG_RECEIVEWAL.toString(),
                "-D",
                target.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(s.port()),
                "-U",
                Primary.USER,
                "--no-loop",
                "--no-password",
                "-E",
                stop.toString(),
                "-v")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("log:\n%s", Files.readString(log)).isTrue();
      String out = Files.readString(log);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("switched to timeline 2 at " + switchPoint);
      assertThat(target.resolve("00000002.history")).exists();
      // timeline 1's last segment stays partial; timeline 2 has the segment of the switch and
      // the next one complete, byte-identical to the server's
      assertThat(target.resolve(tli1Name + ".partial")).exists();
      for (long seg = switchSeg; seg <= switchSeg + 1; seg++) {
        String n = SEG.name(new TimelineId(2), seg).fileName();
        assertThat(Files.readAllBytes(target.resolve(n)))
            .as(n)
            .isEqualTo(Files.readAllBytes(s.segments().dir().resolve(n)));
      }
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void exec(int port, String sql) throws Exception {
    Properties pr = new Properties();
    pr.setProperty("user", Primary.USER);
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", pr);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
