package org.walden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code walden} command: {@code init}, {@code start}, {@code stop}, {@code status}. Each
 * subcommand is its own class; this one only assembles them and maps outcomes to exit codes.
 */
@Command(
    name = "walden",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A PostgreSQL-compatible database server built around streaming replication.",
    subcommands = {
      InitCommand.class,
      StartCommand.class,
      StopCommand.class,
      PromoteCommand.class,
      StatusCommand.class,
      CloneCommand.class,
      ClusterCommand.class,
      BaseBackupCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      cmd.getErr().println("walden: " + ex.getMessage());
      return 1;
    });
    return cl.execute(args);
  }
}
