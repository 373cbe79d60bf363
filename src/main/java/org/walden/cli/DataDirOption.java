package org.walden.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -D DIR} option shared by the subcommands, defaulting to {@code $PGDATA}. */
final class DataDirOption {

  @Option(
      names = {"-D", "--pgdata"},
      paramLabel = "DIR",
      description = "data directory (default: $PGDATA, else ./walden-data)")
  Path dir;

  Path resolve() {
    if (dir != null) {
      return dir.toAbsolutePath().normalize();
    }
    String env = System.getenv("PGDATA");
    if (env != null && !env.isEmpty()) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    return Path.of("walden-data").toAbsolutePath().normalize();
  }
}
