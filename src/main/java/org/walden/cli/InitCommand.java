package org.walden.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.wal.WalSegmentSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code walden init}: creates a data directory (PostgreSQL's initdb). */
@Command(name = "init", description = "Create a new data directory.")
final class InitCommand implements Callable<Integer> {

  @Mixin DataDirOption dataDir = new DataDirOption();

  @Option(
      names = "--wal-segsize",
      paramLabel = "MB",
      defaultValue = "16",
      description = "WAL segment size in megabytes: a power of two from 1 to 1024 (default 16)")
  int walSegsizeMb;

  @Option(
      names = {"-U", "--username"},
      paramLabel = "NAME",
      description = "name of the superuser (default: the operating system user's name)")
  String user;

  @Option(
      names = {"-A", "--auth"},
      paramLabel = "METHOD",
      defaultValue = "trust",
      description =
          "authentication method for local connections: trust (default), scram-sha-256, md5")
  String auth;

  @Option(
      names = "--pwfile",
      paramLabel = "FILE",
      description = "read the superuser's password from the first line of FILE")
  java.nio.file.Path pwfile;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir.resolve();
    if (walSegsizeMb <= 0 || walSegsizeMb > 1024 || Integer.bitCount(walSegsizeMb) != 1) {
      System.err.println(
          "walden: argument of --wal-segsize must be a power of two between 1 and 1024");
      return 1;
    }
    String name = user != null ? user : System.getProperty("user.name", "walden");
    InitOptions opts = new InitOptions(dir, new WalSegmentSize(walSegsizeMb << 20), name, auth);
    Node.init(opts);
    if ("trust".equals(auth)) {
      System.out.println(
          "walden: warning: enabling \"trust\" authentication for local connections");
      System.out.println(
          "You can change this by editing hba.conf or using the option -A, or --auth, the next"
              + " time you run walden init.");
    }
    System.out.println();
    System.out.println("Success. You can now start the database server using:");
    System.out.println();
    System.out.println("    ./walden start -D " + dir);
    System.out.println();
    return 0;
  }
}
