package org.walden.bench;

import java.util.List;
import org.walden.sql.parse.SqlParser;

/**
 * Times {@link SqlParser} on the statements pgbench sends: a plain warmed-up loop, reporting ns per
 * parse (JMH would be more careful; this is the quick check the parse budget needs). Run after
 * {@code ./mvnw test-compile}:
 *
 * <pre>
 * java -cp target/classes:target/test-classes org.walden.bench.ParseBench [iterations]
 * </pre>
 */
public final class ParseBench {

  private static final List<String> STATEMENTS =
      List.of(
          "UPDATE pgbench_accounts SET abalance = abalance + -4213 WHERE aid = 774422;",
          "SELECT abalance FROM pgbench_accounts WHERE aid = 774422;",
          "UPDATE pgbench_tellers SET tbalance = tbalance + -4213 WHERE tid = 7;",
          "UPDATE pgbench_branches SET bbalance = bbalance + -4213 WHERE bid = 1;",
          "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (7, 1, 774422, -4213,"
              + " CURRENT_TIMESTAMP);",
          "BEGIN;",
          "END;",
          "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;",
          "SET application_name = 'PostgreSQL JDBC Driver'",
          "BEGIN;UPDATE pgbench_accounts SET abalance = abalance + -4213 WHERE aid = 774422;SELECT"
              + " abalance FROM pgbench_accounts WHERE aid = 774422;UPDATE pgbench_tellers SET"
              + " tbalance = tbalance + -4213 WHERE tid = 7;UPDATE pgbench_branches SET bbalance ="
              + " bbalance + -4213 WHERE bid = 1;INSERT INTO pgbench_history (tid, bid, aid, delta,"
              + " mtime) VALUES (7, 1, 774422, -4213, CURRENT_TIMESTAMP);END;");

  private ParseBench() {}

  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    long sink = 0;
    // warm up every statement together so the JIT sees the real mix
    for (int i = 0; i < 300_000; i++) {
      sink += SqlParser.parseAll(STATEMENTS.get(i % STATEMENTS.size())).size();
    }
    for (String sql : STATEMENTS) {
      long best = Long.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
          sink += SqlParser.parseAll(sql).size();
        }
        best = Math.min(best, (System.nanoTime() - t0) / iterations);
      }
      String label = sql.length() > 70 ? sql.substring(0, 67) + "..." : sql;
      System.out.printf("%6d ns/op  %s%n", best, label);
    }
    System.out.println("(sink " + sink + ")");
  }
}
