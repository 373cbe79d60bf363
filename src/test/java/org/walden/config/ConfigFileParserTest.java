package org.walden.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileParserTest {

  @TempDir Path dir;

  private ConfigFileParser.Result parse(String text) {
    return ConfigFileParser.parseText(text, dir.resolve("walden.conf"));
  }

  private static List<String> pairs(ConfigFileParser.Result r) {
    return r.entries().stream().map(e -> e.name() + "=" + e.value() + "@" + e.line()).toList();
  }

  @Test
  void parseText_valueForms() {
    ConfigFileParser.Result r =
        parse(
            """
            # a comment line

            port = 5433
            max_connections 50          # no equals sign, trailing comment
            listen_addresses = '*'
            archive_command = 'cp %p /arch/%f'   # '#' inside quotes is text
            primary_conninfo = 'host=a user=''x'''
            restore_command = 'a\\\\b\\tc\\101\\q'
            max_wal_size = 1GB
            checkpoint_completion_target = .5
            wal_level=logical
            cluster_name = some-thing:x/y.z
            custom.option = on
            statement_timeout = -1
            port = 0x1F
            """);
    assertThat(r.errors()).isEmpty();
    assertThat(pairs(r))
        .containsExactly(
            "port=5433@3",
            "max_connections=50@4",
            "listen_addresses=*@5",
            "archive_command=cp %p /arch/%f@6",
            "primary_conninfo=host=a user='x'@7",
            "restore_command=a\\b\tcAq@8",
            "max_wal_size=1GB@9",
            "checkpoint_completion_target=.5@10",
            "wal_level=logical@11",
            "cluster_name=some-thing:x/y.z@12",
            "custom.option=on@13",
            "statement_timeout=-1@14",
            "port=0x1F@15");
  }

  @Test
  void parseText_syntaxErrorsNameFileAndLine() {
    Path f = dir.resolve("walden.conf");
    ConfigFileParser.Result r =
        parse(
            """
            port = 5433
            max_wal_size = 1.5GB
            listen_addresses = *
            port =
            = 5
            port = 5 6
            cluster_name = 'unterminated
            restore_command = /bin/true
            wal_level = a.b
            fsync = on
            """);
    assertThat(r.errors())
        .extracting(Throwable::getMessage)
        .containsExactly(
            "syntax error in file \"" + f + "\" line 2, near token \"GB\"",
            "syntax error in file \"" + f + "\" line 3, near token \"*\"",
            "syntax error in file \"" + f + "\" line 4, near end of line",
            "syntax error in file \"" + f + "\" line 5, near token \"=\"",
            "syntax error in file \"" + f + "\" line 6, near token \"6\"",
            "syntax error in file \"" + f + "\" line 7, near token \"'\"",
            "syntax error in file \"" + f + "\" line 8, near token \"/\"",
            "syntax error in file \"" + f + "\" line 9, near token \"a.b\"");
    assertThat(r.errors()).allSatisfy(e -> assertThat(e.sqlState()).isEqualTo("42601"));
    // good lines around the bad ones are still read
    assertThat(pairs(r)).containsExactly("port=5433@1", "fsync=on@10");
  }

  @Test
  void parseText_lastLineWithoutNewline() {
    ConfigFileParser.Result r = parse("port = 1\nfsync = off");
    assertThat(pairs(r)).containsExactly("port=1@1", "fsync=off@2");
  }

  @Test
  void parseText_tooManyErrorsAbandonsFile() {
    ConfigFileParser.Result r = parse("* \n".repeat(150));
    assertThat(r.errors()).hasSize(101);
    assertThat(r.errors().get(100).getMessage()).startsWith("too many syntax errors found");
    assertThat(r.errors().get(100).sqlState()).isEqualTo("54000");
  }

  @Test
  void parse_includesAreSplicedRelativeToIncludingFile() throws IOException {
    Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(dir.resolve("conf.d/b.conf"), "port = 2\n");
    Files.writeString(dir.resolve("conf.d/a.conf"), "port = 1\nfsync = off\n");
    Files.writeString(dir.resolve("conf.d/.hidden.conf"), "port = 99\n");
    Files.writeString(dir.resolve("conf.d/c.conf.bak"), "port = 98\n");
    Files.writeString(dir.resolve("extra.conf"), "max_connections = 7\n");
    Files.writeString(
        dir.resolve("walden.conf"),
        """
        port = 0
        include 'extra.conf'
        include_if_exists = 'missing.conf'
        include_dir 'conf.d'
        wal_level = logical
        """);
    ConfigFileParser.Result r = ConfigFileParser.parse(dir.resolve("walden.conf"));
    assertThat(r.errors()).isEmpty();
    assertThat(r.entries())
        .extracting(e -> e.name() + "=" + e.value() + "@" + e.file().getFileName())
        .containsExactly(
            "port=0@walden.conf",
            "max_connections=7@extra.conf",
            "port=1@a.conf",
            "fsync=off@a.conf",
            "port=2@b.conf",
            "wal_level=logical@walden.conf");
  }

  @Test
  void parse_missingIncludeIsAnError() throws IOException {
    Files.writeString(dir.resolve("walden.conf"), "include 'nope.conf'\n");
    ConfigFileParser.Result r = ConfigFileParser.parse(dir.resolve("walden.conf"));
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).sqlState()).isEqualTo("58P01");
    assertThat(r.errors().get(0))
        .hasMessage(
            "could not open configuration file \""
                + dir.resolve("nope.conf")
                + "\": No such file or directory");
  }

  @Test
  void parse_selfIncludeStopsAtNestingDepth() throws IOException {
    Files.writeString(dir.resolve("walden.conf"), "port = 1\ninclude 'walden.conf'\n");
    ConfigFileParser.Result r = ConfigFileParser.parse(dir.resolve("walden.conf"));
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).getMessage()).endsWith("maximum nesting depth exceeded");
    assertThat(r.errors().get(0).sqlState()).isEqualTo("54000");
    assertThat(r.entries()).hasSize(ConfigFileParser.MAX_DEPTH + 1);
  }

  @Test
  void parseIfExists_missingFileIsEmpty() {
    ConfigFileParser.Result r = ConfigFileParser.parseIfExists(dir.resolve("absent.conf"));
    assertThat(r.ok()).isTrue();
    assertThat(r.entries()).isEmpty();
    assertThat(ConfigFileParser.parse(dir.resolve("absent.conf")).ok()).isFalse();
  }
}
