package org.walden.replication.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgPassFileTest {

  @TempDir Path dir;

  private Path write(String content, String perms) throws Exception {
    Path f = dir.resolve("pgpass");
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void firstMatchingLine_withWildcardsAndEscapes() throws Exception {
    Path f =
        write(
            "# comment\nother:5432:*:repl:nope\n127.0.0.1:*:replication:repl:pa\\:ss\\\\1\n*:*:*:*:any\n",
            "rw-------");
    assertThat(PgPassFile.lookup(f, "127.0.0.1", 5432, "replication", "repl")).contains("pa:ss\\1");
    assertThat(PgPassFile.lookup(f, "elsewhere", 1, "replication", "x")).contains("any");
  }

  @Test
  void socketDirectoryHost_matchesLocalhost() throws Exception {
    Path f = write("localhost:5432:replication:u:pw\n", "rw-------");
    assertThat(PgPassFile.lookup(f, "/tmp", 5432, "replication", "u")).contains("pw");
  }

  @Test
  void groupReadableFile_isIgnored() throws Exception {
    Path f = write("*:*:*:*:pw\n", "rw-r-----");
    assertThat(PgPassFile.lookup(f, "h", 1, "replication", "u")).isEmpty();
  }

  @Test
  void missingFile_isNoPassword() throws Exception {
    assertThat(PgPassFile.lookup(dir.resolve("none"), "h", 1, "replication", "u")).isEmpty();
  }

  @Test
  void passfileKeyword_wins() {
    assertThat(PgPassFile.locate(ConnInfo.parse("passfile=/x/y"))).isEqualTo(Path.of("/x/y"));
  }
}
