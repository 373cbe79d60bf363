package org.walden.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.walden.config.AutoConfFile;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.fs.PidLock;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.node.RunningServer;
import org.walden.node.ShutdownMode;
import org.walden.node.StandbyClone;
import org.walden.wal.WalSegmentSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code walden cluster}: a primary and two streaming standbys on loopback under one directory, in
 * one command — the quick start. The first run creates {@code DIR/primary} (ports from {@code
 * --port}) and clones it into {@code DIR/standby1} and {@code DIR/standby2}; every run starts the
 * three as child processes ({@code walden start -D …}), prefixes their logs with the node's name,
 * prints how to connect, and on Ctrl-C (or SIGTERM) stops them: the primary first (fast, so its
 * walsenders hand the shutdown checkpoint to the standbys), then the standbys.
 *
 * <p>Each node stays an ordinary server: {@code walden stop -D DIR/standby1} stops one standby
 * while the others run, and {@code walden start -D DIR/standby1} brings it back; it catches up by
 * itself.
 */
@Command(
    name = "cluster",
    description = "Create (first time) and run a primary and two streaming standbys on loopback.")
final class ClusterCommand implements Callable<Integer> {

  @Option(
      names = {"-D", "--dir"},
      paramLabel = "DIR",
      defaultValue = "walden-cluster",
      description = "directory holding primary/, standby1/, standby2/ (default ./walden-cluster)")
  Path dir;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      defaultValue = "5432",
      description = "the primary's port; the standbys take the next two (default 5432)")
  int port;

  @Option(
      names = "--wal-segsize",
      paramLabel = "MB",
      defaultValue = "16",
      description = "WAL segment size in megabytes for a new cluster (default 16)")
  int walSegsizeMb;

  private static final String[] NAMES = {"primary", "standby1", "standby2"};

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    Path root = dir.toAbsolutePath().normalize();
    String user = System.getProperty("user.name", "walden");
    if (!new DataDirectory(root.resolve("primary")).isInitialized()) {
      create(root, user);
    }
    List<Child> children = new ArrayList<>();
    CountDownLatch stopRequested = new CountDownLatch(1);
    Signal.handle(new Signal("INT"), s -> stopRequested.countDown());
    Signal.handle(new Signal("TERM"), s -> stopRequested.countDown());
    try {
      for (String name : NAMES) {
        Child c = Child.start(name, root.resolve(name), out);
        children.add(c);
        if (!c.awaitReady(Duration.ofMinutes(2))) {
          out.println("walden cluster: " + name + " did not start; see its log lines above");
          stopAll(children);
          return 1;
        }
      }
      printHowToConnect(user);
      // Wait until asked to stop, or until the primary exits by itself.
      while (!stopRequested.await(1, TimeUnit.SECONDS)) {
        if (!children.get(0).process.isAlive()) {
          out.println("walden cluster: the primary exited; stopping the standbys");
          break;
        }
      }
    } finally {
      stopAll(children);
    }
    out.println("walden cluster: all nodes stopped");
    return 0;
  }

  private void create(Path root, String user) throws Exception {
    out.println("walden cluster: creating a primary and two standbys in " + root);
    Path primary = root.resolve("primary");
    Node.init(new InitOptions(primary, new WalSegmentSize(walSegsizeMb << 20), user, "trust"));
    AutoConfFile auto =
        new AutoConfFile(new DataDirectory(primary).autoConf(), new DurableFiles(FileIo.nio()));
    auto.set("port", Integer.toString(port));
    auto.set("listen_addresses", "127.0.0.1");
    auto.set("cluster_name", "primary");
    for (int i = 1; i <= 2; i++) {
      Map<String, String> s = new LinkedHashMap<>();
      s.put("port", Integer.toString(port + i));
      s.put("cluster_name", "standby" + i);
      s.put(
          "primary_conninfo",
          "host=127.0.0.1 port=" + port + " user=" + user + " application_name=standby" + i);
      StandbyClone.cloneStopped(primary, root.resolve("standby" + i), s);
    }
  }

  private void printHowToConnect(String user) {
    out.println();
    out.println("walden cluster: a primary and two streaming standbys are running.");
    for (int i = 0; i < NAMES.length; i++) {
      out.printf(
          "  %-9s psql -h 127.0.0.1 -p %d -U %s postgres%s%n",
          NAMES[i], port + i, user, i == 0 ? "" : "     (read-only)");
    }
    out.println("  on the primary:  SELECT application_name, state, sent_lsn, replay_lsn,");
    out.println("                          replay_lag FROM pg_stat_replication;");
    out.println("  on a standby:    SELECT status, flushed_lsn FROM pg_stat_wal_receiver;");
    out.println("Press Ctrl-C to stop all three.");
    out.println();
  }

  private void stopAll(List<Child> children) {
    for (Child c : children) {
      c.stopFast(); // the primary first
      if (c.name.equals("primary")) {
        c.await(Duration.ofSeconds(60));
      }
    }
    for (Child c : children) {
      c.await(Duration.ofSeconds(60));
    }
  }

  /** One node run as {@code walden start -D DIR} in a child JVM, its output forwarded. */
  private static final class Child {
    final String name;
    final Path dir;
    final Process process;

    private Child(String name, Path dir, Process process) {
      this.name = name;
      this.dir = dir;
      this.process = process;
    }

    static Child start(String name, Path dir, PrintStream out) throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      cmd.add("--enable-native-access=ALL-UNNAMED");
      String logConfig = System.getProperty("logback.configurationFile");
      if (logConfig != null) {
        cmd.add("-Dlogback.configurationFile=" + logConfig);
      }
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(Main.class.getName());
      cmd.add("start");
      cmd.add("-D");
      cmd.add(dir.toString());
      Files.createDirectories(dir);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      Child c = new Child(name, dir, pb.start());
      Thread.ofPlatform()
          .daemon()
          .name("walden-cluster-" + name)
          .start(() -> c.forward(c.process.getInputStream(), out));
      return c;
    }

    private void forward(InputStream in, PrintStream out) {
      String prefix = String.format("[%-8s] ", name);
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.println(prefix + line);
        }
      } catch (IOException e) {
        // the child went away
      }
    }

    /**
     * Waits until the child's lock file says it accepts connections ("ready", or "standby" for a
     * hot standby), or it exits. Looks every 100 ms: a command-line tool, not a test.
     */
    boolean awaitReady(Duration d) throws InterruptedException, IOException {
      long deadline = System.nanoTime() + d.toNanos();
      while (process.isAlive() && System.nanoTime() < deadline) {
        var c = PidLock.read(FileIo.nio(), dir);
        if (c.isPresent()
            && c.get().pid() == process.pid()
            && (c.get().status() == PidLock.Status.READY
                || c.get().status() == PidLock.Status.STANDBY)) {
          return true;
        }
        Thread.sleep(100);
      }
      return false;
    }

    /**
     * Asks for a fast shutdown as {@code walden stop -m fast} does (stop-mode file, then SIGTERM):
     * a child started from a background shell ignores SIGINT, so Ctrl-C's signal is not relied on.
     */
    void stopFast() {
      if (!process.isAlive()) {
        return;
      }
      try {
        new RunningServer(dir, process.pid()).stop(ShutdownMode.FAST, Duration.ZERO);
      } catch (IOException e) {
        process.destroy();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void await(Duration d) {
      try {
        if (!process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
