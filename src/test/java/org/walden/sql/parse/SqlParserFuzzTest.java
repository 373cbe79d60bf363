package org.walden.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random token soups and random character mutations of valid statements: every input must either
 * parse or fail with a {@link SqlParseException} whose position lies inside the input — never
 * another exception, never a hang. The seed is printed and put in every failure message; run with
 * {@code -Dwalden.fuzz.seed=N} to replay one.
 */
class SqlParserFuzzTest {

  private static final int SOUPS = 120_000;
  private static final int MUTATIONS = 120_000;
  private static final int BOMBS = 300;

  private static final String[] VALID = {
    "UPDATE pgbench_accounts SET abalance = abalance + -4213 WHERE aid = 774422;",
    "SELECT abalance FROM pgbench_accounts WHERE aid = $1",
    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (7, 1, 774422, -4213,"
        + " CURRENT_TIMESTAMP);",
    "create table pgbench_accounts(aid int not null,bid int,abalance int,filler char(84)) with"
        + " (fillfactor=100)",
    "copy pgbench_accounts from stdin with (freeze on)",
    "alter table pgbench_branches add primary key (bid)",
    "vacuum analyze pgbench_branches; truncate pgbench_history",
    "SET application_name = 'PostgreSQL JDBC Driver'",
    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; COMMIT; END",
    "SELECT a AS x, b y, t.* FROM s.t AS tt WHERE a > 1 AND b IS NOT NULL GROUP BY a, b HAVING"
        + " count(*) > 2 ORDER BY a DESC NULLS LAST LIMIT 10 OFFSET 5",
    "select case when a between 1 and 2 then 'x' else e'y\\n' end, cast(b as numeric(10,2)),"
        + " c::timestamptz, $$q$$ || 'r' from t where d not in (1, 2) and e ilike 'z%'",
    "INSERT INTO t VALUES (1, 2) ON CONFLICT (k) DO UPDATE SET v = excluded.v WHERE t.v < 10"
        + " RETURNING k",
    "CREATE ROLE repl WITH LOGIN REPLICATION PASSWORD 'secret'; DROP ROLE IF EXISTS x",
    "COPY t (a, b) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';', NULL 'NULL')",
    "select g, timestamp '2024-01-01', -1.5e3 from generate_series(1, 10) g",
    "SHOW ALL; RESET ALL; SET TIME ZONE 'UTC'; set search_path to \"$user\", public",
    "delete from t where a = 1 returning *",
    "select n.nspname = ANY(current_schemas(true)) from pg_catalog.pg_type t join x on true",
  };

  private static final String[] VOCAB;

  static {
    List<String> v = new ArrayList<>();
    for (Keyword k : Keyword.values()) {
      v.add(k.text);
    }
    String[] extra = {
      "(",
      ")",
      ",",
      ";",
      ".",
      "[",
      "]",
      ":",
      "::",
      ":=",
      "=>",
      "+",
      "-",
      "*",
      "/",
      "%",
      "^",
      "<",
      ">",
      "=",
      "<=",
      ">=",
      "<>",
      "!=",
      "||",
      "~",
      "!~",
      "@>",
      "'x'",
      "'it''s'",
      "E'\\x41'",
      "E'\\u12'",
      "$$d$$",
      "$t$x$t$",
      "$1",
      "$0",
      "$99999999999",
      "1",
      "0",
      "-1",
      "1.5",
      ".5",
      "1e10",
      "9223372036854775808",
      "99999999999999999999",
      "\"Q\"",
      "\"a\"\"b\"",
      "t",
      "a",
      "pgbench_accounts",
      "count",
      "now",
      "generate_series",
      "x",
      "/*c*/",
      "--c\n",
      "'",
      "\"",
      "$",
      "/*",
      "E'",
      "e'\\",
      "1e",
      "1.2.3",
      "é",
      "😀",
      "\t",
      "\n",
      "",
    };
    for (String s : extra) {
      v.add(s);
    }
    VOCAB = v.toArray(new String[0]);
  }

  private static long seed() {
    String fixed = System.getProperty("walden.fuzz.seed");
    return fixed != null ? Long.parseLong(fixed) : System.nanoTime();
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void randomInputs_parseOrFailWithSqlParseException() {
    long seed = seed();
    System.out.println("SqlParserFuzzTest seed=" + seed);
    Random r = new Random(seed);
    int parsed = 0;
    int rejected = 0;
    for (int n = 0; n < SOUPS + MUTATIONS + BOMBS; n++) {
      String input;
      if (n < SOUPS) {
        input = soup(r);
      } else if (n < SOUPS + MUTATIONS) {
        input = mutate(r, VALID[r.nextInt(VALID.length)]);
      } else {
        input = bomb(r);
      }
      if (check(seed, n, input)) {
        parsed++;
      } else {
        rejected++;
      }
    }
    // both outcomes must occur, or the generators are not exercising the parser
    assertThat(parsed).as("seed %d", seed).isGreaterThan(1000);
    assertThat(rejected).as("seed %d", seed).isGreaterThan(1000);
  }

  /** True if the input parsed, false if it was rejected properly; fails the test otherwise. */
  private static boolean check(long seed, int n, String input) {
    try {
      SqlParser.parseScript(input);
      SqlParser.peekCommandTag(input);
      return true;
    } catch (SqlParseException e) {
      int max = input.codePointCount(0, input.length()) + 1;
      if (e.sqlState() == null
          || e.sqlState().length() != 5
          || e.getMessage() == null
          || e.position() < 0
          || e.position() > max) {
        fail("bad error %s for input #%d (seed %d): %s", e, n, seed, quote(input));
      }
      return false;
    } catch (Throwable t) {
      throw new AssertionError(
          "input #" + n + " (seed " + seed + ") threw " + t + ": " + quote(input), t);
    }
  }

  private static String soup(Random r) {
    int len = 1 + r.nextInt(r.nextBoolean() ? 8 : 40);
    StringBuilder b = new StringBuilder();
    if (r.nextInt(3) == 0) {
      String[] starts = {
        "select ", "insert into t ", "update t set ", "create table t (", "copy t "
      };
      b.append(starts[r.nextInt(starts.length)]);
    }
    for (int i = 0; i < len; i++) {
      b.append(VOCAB[r.nextInt(VOCAB.length)]);
      if (r.nextInt(4) != 0) {
        b.append(' ');
      }
    }
    return b.toString();
  }

  private static String mutate(Random r, String valid) {
    StringBuilder b = new StringBuilder(valid);
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int at = b.length() == 0 ? 0 : r.nextInt(b.length() + 1);
      switch (r.nextInt(4)) {
        case 0 -> b.insert(at, randomChar(r));
        case 1 -> {
          if (at < b.length()) {
            b.deleteCharAt(at);
          }
        }
        case 2 -> {
          if (at < b.length()) {
            b.setCharAt(at, randomChar(r));
          }
        }
        default -> b.insert(at, " " + VOCAB[r.nextInt(VOCAB.length)] + " ");
      }
    }
    return b.toString();
  }

  private static char randomChar(Random r) {
    String interesting = "'\"$();,.:-+*/<>=!~|&^%@#?`[]{}\\eE0123456789 \n\t_aZ";
    return r.nextInt(8) == 0
        ? (char) r.nextInt(0x3000)
        : interesting.charAt(r.nextInt(interesting.length()));
  }

  /** Deep nesting of the recursive constructs. */
  private static String bomb(Random r) {
    int depth = 100 + r.nextInt(2000);
    String[][] shapes = {
      {"(", ")"},
      {"NOT ", ""},
      {"- ", ""},
      {"f(", ")"},
      {"CASE WHEN ", " THEN 1 END"},
      {"1 + (", ")"},
      {"cast(", " as int)"},
      {"(1 in (", "))"},
    };
    String[] shape = shapes[r.nextInt(shapes.length)];
    return "select " + shape[0].repeat(depth) + "1" + shape[1].repeat(depth);
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
