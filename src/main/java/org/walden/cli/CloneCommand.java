package org.walden.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walden.node.StandbyClone;
import org.walden.node.StartupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code walden clone}: makes a standby from a cleanly stopped primary's data directory (until base
 * backups exist, the way to make one). See {@link StandbyClone}.
 */
@Command(
    name = "clone",
    description = "Copy a cleanly stopped primary's data directory into a new standby.")
final class CloneCommand implements Callable<Integer> {

  @Option(
      names = "--source",
      required = true,
      paramLabel = "DIR",
      description = "data directory of the stopped primary")
  Path source;

  @Mixin DataDirOption dataDir = new DataDirOption();

  @Option(
      names = "--primary-conninfo",
      paramLabel = "CONNINFO",
      description = "how the standby connects to the primary, e.g. 'host=127.0.0.1 port=5432'")
  String conninfo;

  @Option(
      names = "-c",
      paramLabel = "NAME=VALUE",
      description = "a setting for the standby's postgresql.auto.conf (e.g. port=5433)")
  List<String> settings = List.of();

  @Override
  public Integer call() throws Exception {
    Map<String, String> s = new LinkedHashMap<>();
    if (conninfo != null) {
      s.put("primary_conninfo", conninfo);
    }
    for (String kv : settings) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        System.err.println("walden: -c " + kv + " requires a value");
        return 1;
      }
      s.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
    }
    Path target = dataDir.resolve();
    try {
      StandbyClone.cloneStopped(source, target, s);
    } catch (StartupException e) {
      System.err.println("walden: " + e.getMessage());
      if (e.hint() != null) {
        System.err.println("HINT:  " + e.hint());
      }
      return 1;
    }
    System.out.println("standby data directory \"" + target + "\" created; start it with");
    System.out.println("    walden start -D " + target);
    return 0;
  }
}
