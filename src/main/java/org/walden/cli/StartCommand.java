package org.walden.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.node.RunningServer;
import org.walden.node.ShutdownMode;
import org.walden.node.StartupException;
import org.walden.wal.WalSegmentSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code walden start}: runs a server in the foreground until it is stopped. Without {@code -D}
 * (and without $PGDATA) it uses {@code ./walden-data}, creating it on first use, so the README's
 * one command needs nothing else.
 *
 * <p>Signals: SIGTERM stops in the mode {@code walden stop} asked for (smart for a plain kill),
 * SIGINT (Ctrl-C) stops fast, as PostgreSQL's postmaster does; SIGHUP reloads the settings.
 */
@Command(name = "start", description = "Run a server in the foreground.")
final class StartCommand implements Callable<Integer> {

  @Mixin DataDirOption dataDir = new DataDirOption();

  @Option(
      names = "-c",
      paramLabel = "NAME=VALUE",
      description = "set a setting for this run (overrides walden.conf)")
  List<String> settings = List.of();

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir.resolve();
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String s : settings) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        System.err.println("walden: -c " + s + " requires a value");
        return 1;
      }
      overrides.put(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
    }
    if (dataDir.dir == null
        && System.getenv("PGDATA") == null
        && !new DataDirectory(dir).isInitialized()) {
      System.err.println("walden: initializing data directory \"" + dir + "\" on first use");
      Node.init(
          new InitOptions(
              dir, WalSegmentSize.DEFAULT, System.getProperty("user.name", "walden"), "trust"));
    }
    Node node;
    try {
      node = Node.start(new DataDirectory(dir), overrides);
    } catch (StartupException e) {
      System.err.println("FATAL:  " + e.getMessage());
      if (e.hint() != null) {
        System.err.println("HINT:  " + e.hint());
      }
      return 1;
    }
    Signal.handle(
        new Signal("TERM"), sig -> node.requestShutdown(RunningServer.takeRequestedMode(dir)));
    Signal.handle(new Signal("INT"), sig -> node.requestShutdown(ShutdownMode.FAST));
    Signal.handle(new Signal("HUP"), sig -> node.reload());
    node.awaitTermination();
    return node.exitCode();
  }
}
