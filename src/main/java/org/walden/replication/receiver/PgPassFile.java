package org.walden.replication.receiver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libpq password file ({@code ~/.pgpass} format): lines {@code hostname:port:database:username:
 * password}, {@code *} matching anything in the first four fields, {@code \:} and {@code \\}
 * escapes, {@code #} comment lines. The first matching line wins. As libpq does, a file readable by
 * group or others is ignored with a warning.
 */
final class PgPassFile {

  private static final Logger log = LoggerFactory.getLogger(PgPassFile.class);

  private PgPassFile() {}

  /**
   * The file libpq would read: {@code passfile}, else {@code $PGPASSFILE}, else {@code ~/.pgpass}.
   */
  static Path locate(ConnInfo ci) {
    return ci.nonEmpty("passfile")
        .map(Path::of)
        .orElseGet(() -> {
          String env = System.getenv("PGPASSFILE");
          return env != null && !env.isEmpty()
              ? Path.of(env)
              : Path.of(System.getProperty("user.home"), ".pgpass");
        });
  }

  static Optional<String> lookup(Path file, String host, int port, String database, String user)
      throws IOException {
    List<String> lines;
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream()
            .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
          log.warn(
              "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
              file);
          return Optional.empty();
        }
      } catch (UnsupportedOperationException notPosix) {
        // no permission bits to check
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String wanted = host.isEmpty() || host.startsWith("/") ? "localhost" : host;
    for (String line : lines) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> f = split(line);
      if (f.size() < 5) {
        continue;
      }
      if (matches(f.get(0), wanted)
          && matches(f.get(1), Integer.toString(port))
          && matches(f.get(2), database)
          && matches(f.get(3), user)) {
        return Optional.of(f.get(4));
      }
    }
    return Optional.empty();
  }

  private static boolean matches(String field, String value) {
    return field.equals("*") || field.equals(value);
  }

  /** Splits at unescaped colons (the fifth field takes the rest of the line), undoing escapes. */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
      } else if (c == ':' && out.size() < 4) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
