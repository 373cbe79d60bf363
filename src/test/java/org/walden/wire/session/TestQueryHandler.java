package org.walden.wire.session;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.walden.wire.PgError;
import org.walden.wire.codec.FieldDescription;
import org.walden.wire.codec.FrontendMessage.Bind;
import org.walden.wire.codec.FrontendMessage.Close;
import org.walden.wire.codec.FrontendMessage.Describe;
import org.walden.wire.codec.FrontendMessage.Execute;
import org.walden.wire.codec.FrontendMessage.Parse;
import org.walden.wire.codec.FrontendMessage.Target;

/**
 * A test-only SQL layer: answers {@code select 1} with one int4 row, {@code select pg_sleep(…)} by
 * blocking until cancelled, BEGIN/COMMIT/ROLLBACK/END with transaction status tracking, {@code SET
 * application_name}, {@code copy … from stdin} by counting lines, and everything else with ERROR
 * 42601. Not thread-safe (one per session, like the SPI says).
 */
final class TestQueryHandler implements QueryHandler {
  private static final List<FieldDescription> ONE_INT =
      List.of(FieldDescription.computed("?column?", 23, 4));

  private final SessionContext ctx;
  private final CountDownLatch blocking;
  private final Map<String, String> statements = new HashMap<>();
  private final Map<String, String> portals = new HashMap<>();
  private TransactionStatus status = TransactionStatus.IDLE;

  TestQueryHandler(SessionContext ctx, CountDownLatch blocking) {
    this.ctx = ctx;
    this.blocking = blocking;
  }

  @Override
  public void simpleQuery(String sql, QueryOutput out) throws IOException {
    boolean any = false;
    for (String stmt : sql.split(";")) {
      if (stmt.isBlank()) {
        continue;
      }
      any = true;
      run(stmt.trim(), out, true);
    }
    if (!any) {
      out.writer().emptyQueryResponse();
    }
  }

  private void run(String stmt, QueryOutput out, boolean describe) throws IOException {
    String s = stmt.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    boolean ends = s.equals("commit") || s.equals("end") || s.equals("rollback");
    if (status == TransactionStatus.FAILED && !ends) {
      throw PgError.error(
              "25P02",
              "current transaction is aborted, commands ignored until end of transaction block")
          .toException();
    }
    try {
      switch (s) {
        case "begin" -> {
          status = TransactionStatus.IN_BLOCK;
          out.writer().commandComplete("BEGIN");
        }
        case "commit", "end" -> {
          String tag = status == TransactionStatus.FAILED ? "ROLLBACK" : "COMMIT";
          status = TransactionStatus.IDLE;
          out.writer().commandComplete(tag);
        }
        case "rollback" -> {
          status = TransactionStatus.IDLE;
          out.writer().commandComplete("ROLLBACK");
        }
        case "select 1" -> {
          if (describe) {
            out.writer().rowDescription(ONE_INT);
          }
          out.writer().dataRow(List.of("1"));
          out.writer().commandComplete("SELECT 1");
        }
        default -> {
          if (s.startsWith("set application_name")) {
            String v = stmt.substring(stmt.indexOf('\'') + 1, stmt.lastIndexOf('\''));
            out.parameterStatus("application_name", v);
            out.writer().commandComplete("SET");
          } else if (s.startsWith("select pg_sleep")) {
            blocking.countDown();
            try {
              ctx.cancel().awaitCancel(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            ctx.cancel().throwIfCancelled();
            if (describe) {
              out.writer().rowDescription(ONE_INT);
            }
            out.writer().dataRow(List.of("1"));
            out.writer().commandComplete("SELECT 1");
          } else if (s.startsWith("copy") && s.endsWith("from stdin")) {
            CopyIn in = out.startCopyIn(0, new short[] {0});
            long lines = 0;
            for (byte[] chunk = in.read(); chunk != null; chunk = in.read()) {
              for (byte b : chunk) {
                if (b == '\n') {
                  lines++;
                }
              }
            }
            out.writer().commandComplete("COPY " + lines);
          } else {
            throw PgError.error("42601", "syntax error at or near \"" + stmt + "\"")
                .withPosition(1)
                .toException();
          }
        }
      }
    } catch (org.walden.wire.PgException e) {
      if (status == TransactionStatus.IN_BLOCK) {
        status = TransactionStatus.FAILED;
      }
      throw e;
    }
  }

  private static boolean returnsRows(String sql) {
    String s = sql.toLowerCase(Locale.ROOT).trim();
    return s.equals("select 1") || s.startsWith("select pg_sleep");
  }

  @Override
  public void parse(Parse message, QueryOutput out) throws IOException {
    statements.put(message.statement(), message.query());
    out.writer().parseComplete();
  }

  @Override
  public void bind(Bind message, QueryOutput out) throws IOException {
    String sql = statements.get(message.statement());
    if (sql == null) {
      throw PgError.error(
              "26000", "prepared statement \"" + message.statement() + "\" does not exist")
          .toException();
    }
    portals.put(message.portal(), sql);
    out.writer().bindComplete();
  }

  @Override
  public void describe(Describe message, QueryOutput out) throws IOException {
    String sql =
        message.target() == Target.STATEMENT
            ? statements.get(message.name())
            : portals.get(message.name());
    if (sql == null) {
      throw PgError.error("34000", "portal \"" + message.name() + "\" does not exist")
          .toException();
    }
    if (message.target() == Target.STATEMENT) {
      out.writer().parameterDescription(new int[0]);
    }
    if (returnsRows(sql)) {
      out.writer().rowDescription(ONE_INT);
    } else {
      out.writer().noData();
    }
  }

  @Override
  public void execute(Execute message, QueryOutput out) throws IOException {
    String sql = portals.get(message.portal());
    if (sql == null) {
      throw PgError.error("34000", "portal \"" + message.portal() + "\" does not exist")
          .toException();
    }
    if (sql.isBlank()) {
      out.writer().emptyQueryResponse();
      return;
    }
    run(sql.trim().replaceAll(";$", ""), out, false);
  }

  @Override
  public void close(Close message, QueryOutput out) throws IOException {
    (message.target() == Target.STATEMENT ? statements : portals).remove(message.name());
    out.writer().closeComplete();
  }

  @Override
  public void sync(QueryOutput out) {
    portals.remove("");
  }

  @Override
  public TransactionStatus transactionStatus() {
    return status;
  }
}
