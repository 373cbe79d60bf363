package org.walden.wire.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** psql 15 (libpq) against the listener: SSLRequest → N, trust, SCRAM, refusals. */
class PsqlIT {
  private static final Path PSQL = Path.of("/usr/bin/psql");

  @TempDir Path home;
  private WireTestServer server;

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(PSQL), "psql not installed");
    server = new WireTestServer();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Result psql(String db, String user, String password, String sql)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
            PSQL.toString(),
            "host=127.0.0.1 port=" + server.port() + " user=" + user + " dbname=" + db,
            "-X",
            "-A",
            "-t",
            "-c",
            sql);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("PG"));
    env.put("HOME", home.toString());
    env.put("PGPASSFILE", home.resolve("nopass").toString());
    env.put("PGCONNECT_TIMEOUT", "10");
    if (password != null) {
      env.put("PGPASSWORD", password);
    }
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("psql did not finish within 30 s");
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8).trim(),
        Files.readString(err, StandardCharsets.UTF_8).trim());
  }

  @Test
  void psql_trust_selectOne() throws Exception {
    Result r = psql("trustdb", "alice", null, "select 1");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("1");
  }

  @Test
  void psql_scramWithPgpassword_selectOne() throws Exception {
    Result r = psql("app", "alice", "secret", "select 1");
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("1");
    assertThat(r.exit()).isZero();
  }

  @Test
  void psql_transactionBlock_commits() throws Exception {
    Result r = psql("app", "alice", "secret", "begin; select 1; commit");
    assertThat(r.exit()).isZero();
    // psql 15 shows every result of a multi-statement -c
    assertThat(r.out().lines().toList()).isEqualTo(List.of("BEGIN", "1", "COMMIT"));
  }

  @Test
  void psql_wrongPassword_fails() throws Exception {
    Result r = psql("app", "alice", "nope", "select 1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("password authentication failed for user \"alice\"");
  }

  @Test
  void psql_hbaReject_fails() throws Exception {
    Result r = psql("nodb", "alice", "secret", "select 1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("pg_hba.conf rejects connection for host \"127.0.0.1\"");
  }

  @Test
  void psql_sqlError_reportsSqlstateMessage() throws Exception {
    Result r = psql("trustdb", "alice", null, "select nonsense");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("ERROR:  syntax error at or near");
  }

  @Test
  void psql_copyFromStdin_countsRows() throws Exception {
    Path data = home.resolve("data.txt");
    Files.writeString(data, "1\ta\n2\tb\n3\tc\n");
    Result r = psql("trustdb", "alice", null, "\\copy t from '" + data + "'");
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("COPY 3");
  }
}
