package org.walden.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.walden.node.RunningServer;
import org.walden.node.ShutdownMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code walden stop}: asks the server on a directory to shut down and waits until it has. */
@Command(name = "stop", description = "Stop the server running on a data directory.")
final class StopCommand implements Callable<Integer> {

  @Mixin DataDirOption dataDir = new DataDirOption();

  @Option(
      names = {"-m", "--mode"},
      paramLabel = "MODE",
      defaultValue = "fast",
      description = "smart, fast (default) or immediate")
  String mode;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECS",
      defaultValue = "60",
      description = "seconds to wait (default 60)")
  int timeoutSeconds;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ShutdownMode m = ShutdownMode.parse(mode);
    Path dir = dataDir.resolve();
    Optional<RunningServer> s = RunningServer.find(dir);
    if (s.isEmpty()) {
      System.err.println(
          "walden: PID file \"" + dir.resolve("postmaster.pid") + "\" does not exist");
      System.err.println("Is server running?");
      return 1;
    }
    System.out.print("waiting for server to shut down...");
    System.out.flush();
    boolean stopped = s.get().stop(m, Duration.ofSeconds(timeoutSeconds));
    if (!stopped) {
      System.out.println(" failed");
      System.err.println("walden: server does not shut down");
      return 1;
    }
    System.out.println(" done");
    System.out.println("server stopped");
    return 0;
  }
}
