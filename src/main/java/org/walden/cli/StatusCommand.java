package org.walden.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.walden.node.RunningServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code walden status}: whether a server runs on the directory. Exit codes as {@code pg_ctl
 * status}: 0 running, 3 not running, 4 no such data directory.
 */
@Command(name = "status", description = "Report whether a server is running on a data directory.")
final class StatusCommand implements Callable<Integer> {

  @Mixin DataDirOption dataDir = new DataDirOption();

  @Override
  public Integer call() throws IOException {
    Path dir = dataDir.resolve();
    if (!java.nio.file.Files.isDirectory(dir)) {
      System.err.println("walden: directory \"" + dir + "\" does not exist");
      return 4;
    }
    Optional<RunningServer> s = RunningServer.find(dir);
    if (s.isPresent()) {
      System.out.println("walden: server is running (PID: " + s.get().pid() + ")");
      return 0;
    }
    System.out.println("walden: no server running");
    return 3;
  }
}
