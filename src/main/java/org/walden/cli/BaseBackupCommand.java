package org.walden.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.walden.replication.backup.BackupClient;
import org.walden.replication.receiver.ConnInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code walden basebackup}: takes a base backup of a running Walden (or PostgreSQL-protocol)
 * primary into a new directory, in plain format, like {@code pg_basebackup -Fp}. See {@link
 * BackupClient}. Replication slots ({@code -S}/{@code -C}) are not offered yet: WAL streams without
 * a slot.
 */
@Command(
    name = "basebackup",
    description = "Take a base backup of a running primary into a new data directory.")
final class BaseBackupCommand implements Callable<Integer> {

  @Option(
      names = {"-D", "--pgdata"},
      required = true,
      paramLabel = "DIR",
      description = "directory to write the backup into (must not exist or be empty)")
  Path target;

  @Option(
      names = {"-d", "--dbname"},
      paramLabel = "CONNSTR",
      description = "connection string, e.g. 'host=127.0.0.1 port=5432 user=postgres'")
  String conninfo;

  @Option(
      names = {"-h", "--host"},
      paramLabel = "HOST")
  String host;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT")
  Integer port;

  @Option(
      names = {"-U", "--username"},
      paramLabel = "NAME")
  String user;

  @Option(
      names = {"-X", "--wal-method"},
      paramLabel = "none|fetch|stream",
      defaultValue = "stream",
      description = "include the WAL the backup needs: streamed alongside (default) or fetched")
  String walMethod;

  @Option(
      names = {"-R", "--write-recovery-conf"},
      description = "write standby.signal and primary_conninfo so the copy starts as a standby")
  boolean writeRecoveryConf;

  @Option(
      names = {"-P", "--progress"},
      description = "show progress")
  boolean progress;

  @Option(
      names = {"-c", "--checkpoint"},
      paramLabel = "fast|spread",
      defaultValue = "spread")
  String checkpoint;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "LABEL",
      defaultValue = "walden basebackup")
  String label;

  @Option(
      names = {"-r", "--max-rate"},
      paramLabel = "KBPS",
      defaultValue = "0",
      description = "transfer rate limit in kB/s (32..1048576)")
  int maxRate;

  @Option(names = "--no-manifest", description = "do not write backup_manifest")
  boolean noManifest;

  @Override
  public Integer call() throws Exception {
    BackupClient.WalMethod wal;
    try {
      wal = BackupClient.WalMethod.valueOf(walMethod.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println(
          "walden basebackup: invalid wal-method option \""
              + walMethod
              + "\", must be"
              + " \"fetch\", \"stream\", or \"none\"");
      return 1;
    }
    if (!checkpoint.equals("fast") && !checkpoint.equals("spread")) {
      System.err.println(
          "walden basebackup: invalid checkpoint argument \""
              + checkpoint
              + "\", must be"
              + " \"fast\" or \"spread\"");
      return 1;
    }
    ConnInfo ci = ConnInfo.parse(conninfo == null ? "" : conninfo);
    if (host != null) {
      ci = ci.with("host", host);
    }
    if (port != null) {
      ci = ci.with("port", port.toString());
    }
    if (user != null) {
      ci = ci.with("user", user);
    }
    BackupClient client =
        new BackupClient(
            new BackupClient.Options(
                ci,
                target,
                wal,
                writeRecoveryConf,
                progress,
                checkpoint.equals("fast"),
                label,
                !noManifest,
                maxRate),
            System.err);
    try {
      client.run();
    } catch (BackupClient.BackupFailed e) {
      System.err.println("walden basebackup: error: " + e.getMessage());
      return 1;
    } catch (java.io.IOException e) {
      System.err.println("walden basebackup: error: " + e.getMessage());
      return 1;
    }
    return 0;
  }
}
