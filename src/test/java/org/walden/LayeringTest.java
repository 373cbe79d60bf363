package org.walden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Enforces the package layering of the design (house style §6): lower layers never depend on higher
 * ones. Scans every main source file for {@code org.walden.…} references, in imports and in fully
 * qualified names in code (comments and string literals are ignored), and prints each offending one
 * with its file and line.
 *
 * <p>Rules, by the referencing package:
 *
 * <ul>
 *   <li>{@code fs}: nothing else of Walden;
 *   <li>{@code config}: only {@code fs};
 *   <li>{@code wal}: only {@code fs}, {@code config}, {@code util};
 *   <li>{@code storage.control}: only {@code wal}, {@code fs};
 *   <li>{@code storage}: not {@code wire}, {@code sql}, {@code replication}, {@code recovery},
 *       {@code node}, {@code cli};
 *   <li>{@code replication}: not {@code wire}, {@code sql}, {@code recovery}.
 * </ul>
 */
class LayeringTest {

  private static final Path MAIN = Path.of("src/main/java");

  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;");

  /** A Walden package reference: lower-case segments after org.walden, up to a class name. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\borg\\.walden((?:\\.[a-z_][a-z0-9_]*)+)");

  /** One rule: for files whose package starts with {@code from}, is {@code to} allowed? */
  private record Rule(String from, Set<String> allowed, Set<String> forbidden, String text) {
    boolean violatedBy(String to) {
      String top = topOf(to);
      if (allowed != null) {
        return !(isIn(to, from) || allowed.stream().anyMatch(a -> isIn(to, a)));
      }
      return forbidden.contains(top);
    }
  }

  // Most specific first: the first rule whose prefix matches a file applies.
  private static final List<Rule> RULES =
      List.of(
          new Rule("fs", Set.of(), null, "fs imports nothing else of Walden"),
          new Rule("config", Set.of("fs"), null, "config may import only fs"),
          new Rule("wal", Set.of("fs", "config", "util"), null, "wal may import fs, config, util"),
          new Rule(
              "storage.control",
              Set.of("wal", "fs"),
              null,
              "storage.control may import only wal and fs"),
          new Rule(
              "storage",
              null,
              Set.of("wire", "sql", "replication", "recovery", "node", "cli"),
              "storage must not import wire, sql, replication, recovery, node, cli"),
          new Rule(
              "replication",
              null,
              Set.of("wire", "sql", "recovery"),
              "replication must not import wire, sql, recovery"));

  @Test
  void mainSources_respectLayering() throws IOException {
    assertThat(MAIN).as("run from the project root").isDirectory();
    List<String> violations = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(MAIN)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path f : files) {
      violations.addAll(check(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
    }
    violations.forEach(System.out::println);
    assertThat(violations).as("layering violations:\n%s", String.join("\n", violations)).isEmpty();
    assertThat(files).as("the scan found the sources").hasSizeGreaterThan(10);
  }

  @Test
  void check_reportsImportsAndQualifiedNamesButNotComments() {
    String source =
        """
        package org.walden.storage.control;

        import org.walden.wal.Lsn;
        import org.walden.config.Settings; // not allowed here
        import static org.walden.replication.WalSender.start;

        /** See {@link org.walden.wire.PgError}: a comment, so fine. */
        class X {
          String s = "org.walden.sql.Parser"; // a string, so fine
          Object o = new org.walden.node.Node();
        }
        """;
    List<String> v = check("X.java", source);
    assertThat(v)
        .containsExactly(
            "X.java:4: org.walden.storage.control references org.walden.config"
                + " (storage.control may import only wal and fs)",
            "X.java:5: org.walden.storage.control references org.walden.replication"
                + " (storage.control may import only wal and fs)",
            "X.java:10: org.walden.storage.control references org.walden.node"
                + " (storage.control may import only wal and fs)");
    assertThat(check("Y.java", "package org.walden.storage.table;\nimport org.walden.wire.A;\n"))
        .hasSize(1);
    assertThat(check("Z.java", "package org.walden.storage.table;\nimport org.walden.wal.A;\n"))
        .isEmpty();
    assertThat(check("W.java", "package org.walden.fs;\nimport org.walden.config.A;\n")).hasSize(1);
  }

  static List<String> check(String name, String source) {
    String code = stripCommentsAndStrings(source);
    String pkg = null;
    List<String> lines = code.lines().toList();
    for (String line : lines) {
      Matcher m = PACKAGE.matcher(line);
      if (m.find()) {
        pkg = m.group(1);
        break;
      }
    }
    List<String> out = new ArrayList<>();
    if (pkg == null || !pkg.startsWith("org.walden.")) {
      return out;
    }
    String from = pkg.substring("org.walden.".length());
    Rule rule = RULES.stream().filter(r -> isIn(from, r.from())).findFirst().orElse(null);
    if (rule == null) {
      return out;
    }
    for (int i = 0; i < lines.size(); i++) {
      if (PACKAGE.matcher(lines.get(i)).find()) {
        continue;
      }
      Matcher m = REFERENCE.matcher(lines.get(i));
      while (m.find()) {
        String to = m.group(1).substring(1);
        if (!isIn(to, from) && rule.violatedBy(to)) {
          out.add(
              name
                  + ":"
                  + (i + 1)
                  + ": "
                  + pkg
                  + " references org.walden."
                  + topOf(to)
                  + " ("
                  + rule.text()
                  + ")");
        }
      }
    }
    return out;
  }

  private static boolean isIn(String pkg, String layer) {
    return pkg.equals(layer) || pkg.startsWith(layer + ".");
  }

  private static String topOf(String pkg) {
    int dot = pkg.indexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }

  /** Blanks out comments, string and char literals and text blocks, keeping line breaks. */
  static String stripCommentsAndStrings(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        blank(s, i, end, out);
        i = end;
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end + 3;
        blank(s, i, end, out);
        i = end;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        int end = Math.min(n, j + 1);
        blank(s, i, end, out);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static void blank(String s, int from, int to, StringBuilder out) {
    for (int k = from; k < to; k++) {
      out.append(s.charAt(k) == '\n' ? '\n' : ' ');
    }
  }
}
