package org.walden.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.walden.node.RunningServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code walden promote}: asks the standby running on a directory to end recovery and become a
 * primary ({@code pg_ctl promote}): it writes the {@code promote} signal file the server watches
 * for and, unless {@code --no-wait}, waits until the server is no longer in standby mode.
 */
@Command(name = "promote", description = "Promote the standby running on a data directory.")
final class PromoteCommand implements Callable<Integer> {

  @Mixin DataDirOption dataDir = new DataDirOption();

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECS",
      defaultValue = "60",
      description = "seconds to wait (default 60)")
  int timeoutSeconds;

  @Option(
      names = {"-W", "--no-wait"},
      description = "do not wait for the promotion to complete")
  boolean noWait;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path dir = dataDir.resolve();
    Optional<RunningServer> s = RunningServer.find(dir);
    if (s.isEmpty()) {
      System.err.println(
          "walden: PID file \"" + dir.resolve("postmaster.pid") + "\" does not exist");
      System.err.println("Is server running?");
      return 1;
    }
    if (!Files.exists(dir.resolve("standby.signal"))) {
      System.err.println("walden: cannot promote server; server is not in standby mode");
      return 1;
    }
    if (!s.get().promote(noWait ? Duration.ZERO : Duration.ofSeconds(timeoutSeconds))) {
      System.out.println(" stopped waiting");
      System.err.println("walden: server did not promote in time");
      return 1;
    }
    System.out.println(noWait ? "server promoting" : "server promoted");
    return 0;
  }
}
