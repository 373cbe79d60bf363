package org.walden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** psql 15 against a real node; skipped when psql is not installed. */
class PsqlIT {

  @TempDir static Path tmp;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(ClientProcess.available(ClientProcess.PSQL), "psql is not installed");
    server = TestServer.start(tmp);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void createInsertSelect_printsTheRows() throws Exception {
    ClientProcess.Result r =
        ClientProcess.psql(
            server,
            tmp,
            "-c",
            "create table p1 (id int primary key, name text)",
            "-c",
            "insert into p1 values (1, 'alpha'), (2, 'beta')",
            "-At",
            "-c",
            "select id, name from p1 order by id");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.stdout()).contains("CREATE TABLE", "INSERT 0 2", "1|alpha\n2|beta");
  }

  @Test
  void multiStatementString_runsInOneImplicitTransaction() throws Exception {
    ClientProcess.Result setup =
        ClientProcess.psql(server, tmp, "-c", "create table p2 (id int primary key)");
    assertThat(setup.exitCode()).as("%s", setup).isZero();
    // the duplicate fails the whole string: the first insert must be rolled back too
    ClientProcess.Result failing =
        ClientProcess.psql(
            server, tmp, "-c", "insert into p2 values (1); insert into p2 values (1)");
    assertThat(failing.exitCode()).as("%s", failing).isNotZero();
    assertThat(failing.stderr()).contains("duplicate key");
    ClientProcess.Result ok =
        ClientProcess.psql(
            server,
            tmp,
            "-At",
            "-c",
            "insert into p2 values (1); insert into p2 values (2); select count(*) from p2");
    assertThat(ok.exitCode()).as("%s", ok).isZero();
    // psql 15 prints every result of the string; the count proves the failed string left nothing
    assertThat(ok.stdout()).isEqualTo("INSERT 0 1\nINSERT 0 1\n2\n");
  }

  @Test
  void transactionBlockScript_reportsWarningsAndRollsBack() throws Exception {
    Path script = tmp.resolve("block.sql");
    Files.writeString(
        script,
        """
        create table p3 (id int primary key);
        begin;
        begin;
        insert into p3 values (1);
        rollback;
        commit;
        insert into p3 values (2);
        select count(*) from p3;
        """,
        StandardCharsets.UTF_8);
    ClientProcess.Result r = ClientProcess.psql(server, tmp, "-At", "-f", script.toString());
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.stderr())
        .contains("there is already a transaction in progress")
        .contains("there is no transaction in progress");
    assertThat(r.stdout().strip()).endsWith("1");
  }

  @Test
  void backslashCopy_loadsAndDumpsAFile() throws Exception {
    Path in = tmp.resolve("in.csv");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 1000; i++) {
      sb.append(i).append(",\"name, ").append(i).append("\"\n");
    }
    Files.writeString(in, sb.toString(), StandardCharsets.UTF_8);
    Path out = tmp.resolve("out.csv");
    ClientProcess.Result r =
        ClientProcess.psql(
            server,
            tmp,
            "-c",
            "create table p4 (id int primary key, name text)",
            "-c",
            "\\copy p4 from '" + in + "' with (format csv)",
            "-c",
            "\\copy p4 to '" + out + "' with (format csv)");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.stdout()).contains("COPY 1000");
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(sb.toString());
  }
}
