package org.walden.replication.archive;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code archive_command} and {@code restore_command} as PostgreSQL does: the {@code %}
 * placeholders are replaced, the result goes to {@code /bin/sh -c} with the data directory as the
 * working directory, and the command's output goes to the server's own stdout and stderr.
 *
 * <p>Stateless; each call is independent and may run on any thread.
 */
final class ShellCommand {

  private ShellCommand() {}

  /**
   * Replaces {@code %x} for each key {@code x} of {@code values} and {@code %%} by {@code %}. As in
   * PostgreSQL, a {@code %} before any other character, or at the end, stays as it is. The values
   * are inserted unquoted (PostgreSQL's file names need no quoting).
   */
  static String substitute(String template, Map<Character, String> values) {
    StringBuilder out = new StringBuilder(template.length() + 64);
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '%' && i + 1 < template.length()) {
        char k = template.charAt(i + 1);
        if (k == '%') {
          out.append('%');
          i++;
          continue;
        }
        String v = values.get(k);
        if (v != null) {
          out.append(v);
          i++;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  /** How a command ended. {@code exitCode} is the shell's status; a timeout is reported apart. */
  record Outcome(int exitCode, boolean timedOut) {

    boolean succeeded() {
      return !timedOut && exitCode == 0;
    }

    /**
     * PostgreSQL's {@code wait_result_is_any_signal(rc, true)}: the command (or the shell) died on
     * a signal, or the shell could not run it at all (126, 127). The JVM reports a process killed
     * by signal N as exit status 128 + N, just as a shell reports a child killed by a signal, so
     * "killed by a signal" and "exited with 128 + N" cannot be told apart here; both count as a
     * signal, which is what PostgreSQL does for the shell's report of a killed child.
     */
    boolean isSignalOrHardFailure() {
      return timedOut || exitCode > 125;
    }

    /** The signal number if the status says "killed by a signal", else 0. */
    int signal() {
      return exitCode > 128 ? exitCode - 128 : 0;
    }

    /** PostgreSQL's {@code wait_result_to_str}. */
    String describe() {
      if (timedOut) {
        return "child process did not finish in time and was killed";
      }
      if (signal() > 0) {
        return "child process was terminated by signal " + signal() + ": " + signalName(signal());
      }
      if (exitCode == 127) {
        return "command not found";
      }
      if (exitCode == 126) {
        return "command not executable";
      }
      return "child process exited with exit code " + exitCode;
    }
  }

  static String signalName(int sig) {
    return switch (sig) {
      case 1 -> "Hangup";
      case 2 -> "Interrupt";
      case 3 -> "Quit";
      case 6 -> "Aborted";
      case 9 -> "Killed";
      case 11 -> "Segmentation fault";
      case 13 -> "Broken pipe";
      case 15 -> "Terminated";
      default -> "signal " + sig;
    };
  }

  /**
   * Runs {@code command} through {@code /bin/sh -c} in {@code workingDir} and waits for it, at most
   * {@code limit}; a command still running then is killed (with its process tree) and reported as
   * timed out.
   */
  static Outcome run(String command, Path workingDir, Duration limit)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/sh", "-c", command)
            .directory(workingDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    try {
      if (!p.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
        killTree(p);
        return new Outcome(-1, true);
      }
      return new Outcome(p.exitValue(), false);
    } catch (InterruptedException e) {
      killTree(p);
      throw e;
    }
  }

  private static void killTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
