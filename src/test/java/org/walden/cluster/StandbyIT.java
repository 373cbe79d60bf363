package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.Node;

/** A standby made with {@code walden clone}: hot standby over what it has locally. */
class StandbyIT {

  @TempDir Path tmp;

  @Test
  void cloneReplaysLocalWalAndServesReadOnlyQueries() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v text)");
      TestCluster.exec(p, "insert into t select g, 'x' from generate_series(1, 500) g");
      p.close();
      Path sdir = c.cloneStandby("s1", Map.of("primary_conninfo", ""));
      assertThat(Files.exists(sdir.resolve("standby.signal"))).isTrue();
      Node s = c.start(sdir, Map.of());
      assertThat(s.isStandby()).isTrue();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(TestCluster.query(s, "select count(*) from t")).isEqualTo("500"));
      assertThat(TestCluster.query(s, "select pg_is_in_recovery()")).isEqualTo("t");
      assertThatThrownBy(() -> TestCluster.exec(s, "insert into t values (1000, 'x')"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
      s.close();
      // hot_standby = off: no read-only sessions, as in PostgreSQL
      Node off = c.start(sdir, Map.of("hot_standby", "off"));
      assertThatThrownBy(() -> TestCluster.query(off, "select 1"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57P03"));
      off.close();
      // a restart of the standby resumes from its own directory
      Node s2 = c.start(sdir, Map.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(TestCluster.query(s2, "select count(*) from t")).isEqualTo("500"));
    }
  }
}
