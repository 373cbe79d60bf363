package org.walden.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code walden.conf} and {@code postgresql.auto.conf} in {@code postgresql.conf} syntax
 * (PostgreSQL's {@code guc-file.l}) into an ordered list of {@link Entry name/value entries}. It
 * does not interpret the values: {@link Config} does that, so that a reload can tell a file that
 * does not parse (nothing is applied) from one with a bad value (the rest is applied).
 *
 * <p>Syntax, as in PostgreSQL: one {@code name [=] value} per line; {@code #} starts a comment;
 * values are identifiers, numbers (an integer may carry unit letters, {@code 10min}; a decimal may
 * not, so {@code 1.5GB} must be quoted), unquoted strings of letters, digits and {@code -._:/}, or
 * single-quoted strings with {@code ''} and backslash escapes. {@code include}, {@code
 * include_if_exists} and {@code include_dir} splice other files in at that point, relative to the
 * including file's directory, at most {@value #MAX_DEPTH} deep.
 *
 * <p>Errors name the file and line, in PostgreSQL's words ({@code syntax error in file "…" line 3,
 * near token "…"}). After a syntax error the rest of the line is skipped and parsing goes on, so
 * that one pass reports every error, up to {@value #MAX_ERRORS} per file. Stateless.
 */
public final class ConfigFileParser {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigFileParser.class);

  /** PostgreSQL's {@code CONF_FILE_MAX_DEPTH}. */
  static final int MAX_DEPTH = 10;

  /** PostgreSQL gives up on a file after this many syntax errors. */
  static final int MAX_ERRORS = 100;

  /** One {@code name = value} line, value already de-quoted. */
  public record Entry(String name, String value, Path file, int line) {
    /** PostgreSQL's error context for a problem with this entry. */
    public String context() {
      return "line " + line + " of configuration file \"" + file + "\"";
    }
  }

  /** The entries in file order (includes spliced in) and every error met. */
  public record Result(List<Entry> entries, List<ConfigException> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  private ConfigFileParser() {}

  /** Parses a file that must exist. */
  public static Result parse(Path file) {
    Acc acc = new Acc();
    parseFile(file.toAbsolutePath().normalize(), false, 0, acc);
    return acc.result();
  }

  /** Parses a file if it exists (as {@code postgresql.auto.conf} is read); else no entries. */
  public static Result parseIfExists(Path file) {
    Acc acc = new Acc();
    parseFile(file.toAbsolutePath().normalize(), true, 0, acc);
    return acc.result();
  }

  /** Parses {@code text} as if it were the content of {@code file} (for tests and tools). */
  public static Result parseText(String text, Path file) {
    Acc acc = new Acc();
    parseLines(text, file.toAbsolutePath().normalize(), 0, acc);
    return acc.result();
  }

  private static final class Acc {
    final List<Entry> entries = new ArrayList<>();
    final List<ConfigException> errors = new ArrayList<>();

    Result result() {
      return new Result(List.copyOf(entries), List.copyOf(errors));
    }
  }

  private static void parseFile(Path file, boolean missingOk, int depth, Acc acc) {
    if (depth > MAX_DEPTH) {
      acc.errors.add(
          new ConfigException(
              ConfigException.PROGRAM_LIMIT_EXCEEDED,
              "could not open configuration file \"" + file + "\": maximum nesting depth exceeded",
              null,
              null));
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      if (missingOk) {
        LOG.debug("skipping missing configuration file \"{}\"", file);
      } else {
        acc.errors.add(
            ConfigException.fileError(
                ConfigException.UNDEFINED_FILE,
                "could not open configuration file \"" + file + "\": No such file or directory",
                e));
      }
      return;
    } catch (IOException e) {
      acc.errors.add(
          ConfigException.fileError(
              ConfigException.CONFIG_FILE_ERROR,
              "could not read configuration file \"" + file + "\": " + e.getMessage(),
              e));
      return;
    }
    parseLines(new String(bytes, StandardCharsets.UTF_8), file, depth, acc);
  }

  private static void parseLines(String text, Path file, int depth, Acc acc) {
    int errorsInFile = 0;
    int lineNo = 0;
    int pos = 0;
    while (pos <= text.length()) {
      int nl = text.indexOf('\n', pos);
      String line = nl < 0 ? text.substring(pos) : text.substring(pos, nl);
      pos = nl < 0 ? text.length() + 1 : nl + 1;
      lineNo++;
      ConfigException error = parseLine(line, file, lineNo, depth, acc);
      if (error != null) {
        acc.errors.add(error);
        if (++errorsInFile >= MAX_ERRORS) {
          acc.errors.add(
              new ConfigException(
                  ConfigException.PROGRAM_LIMIT_EXCEEDED,
                  "too many syntax errors found, abandoning file \"" + file + "\"",
                  null,
                  null));
          return;
        }
      }
    }
  }

  /** Handles one line; returns its syntax error, or null. */
  private static ConfigException parseLine(String line, Path file, int lineNo, int depth, Acc acc) {
    List<ConfigLexer.Token> tokens = ConfigLexer.tokenize(line);
    if (tokens.isEmpty()) {
      return null;
    }
    int i = 0;
    ConfigLexer.Token name = tokens.get(i++);
    if (name.kind() != ConfigLexer.Kind.ID && name.kind() != ConfigLexer.Kind.QUALIFIED_ID) {
      return syntaxError(file, lineNo, name);
    }
    if (i < tokens.size() && tokens.get(i).kind() == ConfigLexer.Kind.EQUALS) {
      i++;
    }
    if (i >= tokens.size()) {
      return syntaxError(file, lineNo, null);
    }
    ConfigLexer.Token value = tokens.get(i++);
    String text;
    switch (value.kind()) {
      case STRING -> text = ConfigLexer.deescape(value.text());
      case ID, INTEGER, REAL, UNQUOTED_STRING -> text = value.text();
      default -> {
        return syntaxError(file, lineNo, value);
      }
    }
    if (i < tokens.size()) {
      return syntaxError(file, lineNo, tokens.get(i));
    }
    String n = name.text();
    if (n.equalsIgnoreCase("include")) {
      parseFile(resolve(file, text), false, depth + 1, acc);
    } else if (n.equalsIgnoreCase("include_if_exists")) {
      parseFile(resolve(file, text), true, depth + 1, acc);
    } else if (n.equalsIgnoreCase("include_dir")) {
      includeDir(resolve(file, text), depth + 1, acc);
    } else {
      acc.entries.add(new Entry(n, text, file, lineNo));
    }
    return null;
  }

  private static void includeDir(Path dir, int depth, Acc acc) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        // PostgreSQL skips hidden files and anything not ending in .conf (editor backups).
        if (!f.startsWith(".") && f.endsWith(".conf") && Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      acc.errors.add(
          ConfigException.fileError(
              e instanceof NoSuchFileException
                  ? ConfigException.UNDEFINED_FILE
                  : ConfigException.CONFIG_FILE_ERROR,
              "could not open configuration directory \"" + dir + "\": " + reason(e),
              e));
      return;
    }
    files.sort(null);
    for (Path p : files) {
      parseFile(p, false, depth, acc);
    }
  }

  private static String reason(IOException e) {
    return e instanceof NoSuchFileException ? "No such file or directory" : e.getMessage();
  }

  private static Path resolve(Path includingFile, String name) {
    Path parent = includingFile.getParent();
    Path p = Path.of(name);
    return (p.isAbsolute() || parent == null ? p : parent.resolve(p)).normalize();
  }

  private static ConfigException syntaxError(Path file, int lineNo, ConfigLexer.Token near) {
    String where = near == null ? "near end of line" : "near token \"" + near.text() + "\"";
    return new ConfigException(
        ConfigException.SYNTAX_ERROR,
        "syntax error in file \"" + file + "\" line " + lineNo + ", " + where,
        null,
        null);
  }
}
