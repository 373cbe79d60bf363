package org.walden.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.CopyStmt;
import org.walden.storage.catalog.Column;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.table.Table;
import org.walden.storage.txn.Transaction;
import org.walden.wire.session.CopyIn;
import org.walden.wire.session.QueryOutput;

/**
 * {@code COPY t [(cols)] FROM STDIN} in text or csv format (PostgreSQL's {@code copyfrom.c} for the
 * formats pgbench, psql's {@code \copy} and pgjdbc's CopyManager use). Rows go through the
 * session's transaction like INSERTs; columns not listed get their defaults. {@code FREEZE} is
 * accepted and has no effect (there are no hint bits to set).
 *
 * <p><b>Data flow.</b> CopyData chunks arrive in arbitrary pieces; bytes are collected up to each
 * newline (a newline byte never occurs inside a UTF-8 sequence, so each line decodes on its own).
 * In csv a newline inside quotes continues the record. A line {@code \.} ends the data early (psql
 * sends it from old-protocol habits).
 *
 * <p><b>Errors.</b> A bad line throws at once (22P04 bad copy format, 22P02 bad value, 23505, …),
 * naming the line number in DETAIL; the session then ignores the client's remaining CopyData, as
 * PostgreSQL does. One-shot; session thread only.
 */
final class CopyFromStdin {
  private final Transaction txn;
  private final Table table;
  private final TableSchema schema;
  private final CopyFormat format;
  private final Runnable checkCancel;

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final StringBuilder record = new StringBuilder();
  private long lineNumber;
  private long rows;
  private boolean ended;

  private CopyFromStdin(CopyStmt stmt, Transaction txn, Table table, Runnable checkCancel) {
    this.txn = txn;
    this.table = table;
    this.schema = table.schema();
    this.format = CopyFormat.resolve(stmt, table);
    this.checkCancel = checkCancel;
  }

  /** Runs the COPY; returns its tag {@code COPY n}. */
  static String run(CopyStmt stmt, Transaction txn, QueryOutput out, Runnable checkCancel)
      throws IOException {
    Table table = txn.table(stmt.table().name());
    if (table == null) {
      throw Errors.error(
          Errors.UNDEFINED_TABLE, "relation \"" + stmt.table() + "\" does not exist");
    }
    CopyFromStdin copy = new CopyFromStdin(stmt, txn, table, checkCancel);
    CopyIn in = out.startCopyIn(0, new short[copy.format.columns().length]);
    byte[] chunk;
    while ((chunk = in.read()) != null) {
      copy.feed(chunk);
    }
    copy.finish();
    return "COPY " + copy.rows;
  }

  private void feed(byte[] chunk) {
    int start = 0;
    for (int i = 0; i < chunk.length; i++) {
      if (chunk[i] == '\n') {
        pending.write(chunk, start, i - start);
        line(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        start = i + 1;
      }
    }
    pending.write(chunk, start, chunk.length - start);
  }

  private void finish() {
    if (pending.size() > 0) {
      line(pending.toString(StandardCharsets.UTF_8));
      pending.reset();
    }
    if (record.length() > 0 && !ended) {
      throw badFormat("unterminated CSV quoted field");
    }
  }

  private void line(String raw) {
    lineNumber++;
    if (ended) {
      return;
    }
    String l = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (record.length() == 0 && l.equals("\\.")) {
      ended = true;
      return;
    }
    if (format.csv()) {
      if (record.length() > 0) {
        record.append('\n');
      }
      record.append(l);
      if (insideQuotes(record)) {
        return;
      }
      l = record.toString();
      record.setLength(0);
    }
    if (format.header() && lineNumber == 1) {
      return;
    }
    List<String> fields = format.csv() ? csvFields(l) : textFields(l);
    insert(fields);
    if ((rows & 1023) == 0) {
      checkCancel.run();
    }
  }

  private void insert(List<String> fields) {
    int[] cols = format.columns();
    if (fields.size() < cols.length) {
      throw badFormat(
          "missing data for column \"" + schema.column(cols[fields.size()]).name() + "\"");
    }
    if (fields.size() > cols.length) {
      throw badFormat("extra data after last expected column");
    }
    Object[] values = new Object[schema.columns().size()];
    boolean[] given = new boolean[values.length];
    for (int i = 0; i < cols.length; i++) {
      String f = fields.get(i);
      given[cols[i]] = true;
      if (f != null) {
        Column c = schema.column(cols[i]);
        try {
          values[cols[i]] = c.type().parse(f);
        } catch (RuntimeException e) {
          org.walden.wire.PgError pe = Errors.toPgError(e);
          throw pe.withDetail(
                  "COPY "
                      + schema.name()
                      + ", line "
                      + lineNumber
                      + ", column "
                      + c.name()
                      + ": \""
                      + f
                      + "\"")
              .toException();
        }
      }
    }
    for (int i = 0; i < values.length; i++) {
      if (!given[i]) {
        values[i] = schema.column(i).defaultValue().value(txn.startTime());
      }
    }
    txn.insert(table, values);
    rows++;
  }

  private org.walden.wire.PgException badFormat(String message) {
    return org.walden.wire.PgError.error(Errors.BAD_COPY_FILE_FORMAT, message)
        .withDetail("COPY " + schema.name() + ", line " + lineNumber)
        .toException();
  }

  /** Text format: delimiter-separated, backslash escapes, the NULL marker compared raw. */
  private List<String> textFields(String l) {
    List<String> out = new ArrayList<>(format.columns().length);
    char delim = format.delimiter();
    StringBuilder sb = new StringBuilder();
    int rawStart = 0;
    int i = 0;
    int n = l.length();
    while (true) {
      if (i >= n || l.charAt(i) == delim) {
        String raw = l.substring(rawStart, i);
        out.add(raw.equals(format.nullString()) ? null : sb.toString());
        sb.setLength(0);
        if (i >= n) {
          return out;
        }
        rawStart = ++i;
        continue;
      }
      char c = l.charAt(i++);
      if (c != '\\' || i >= n) {
        sb.append(c);
        continue;
      }
      char e = l.charAt(i++);
      switch (e) {
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000B');
        case 'x' -> {
          int v = 0;
          int digits = 0;
          while (digits < 2 && i < n && Character.digit(l.charAt(i), 16) >= 0) {
            v = v * 16 + Character.digit(l.charAt(i++), 16);
            digits++;
          }
          if (digits == 0) {
            sb.append('x');
          } else {
            sb.append((char) v);
          }
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int d = 0; d < 2 && i < n && l.charAt(i) >= '0' && l.charAt(i) <= '7'; d++) {
              v = v * 8 + (l.charAt(i++) - '0');
            }
            sb.append((char) v);
          } else {
            sb.append(e);
          }
        }
      }
    }
  }

  /** CSV: quoted fields may hold delimiters, quotes (doubled or escaped) and newlines. */
  private List<String> csvFields(String l) {
    List<String> out = new ArrayList<>(format.columns().length);
    char delim = format.delimiter();
    char quote = format.quote();
    char escape = format.escape();
    StringBuilder sb = new StringBuilder();
    boolean inQuotes = false;
    boolean quoted = false;
    int n = l.length();
    for (int i = 0; ; i++) {
      if (i >= n || (!inQuotes && l.charAt(i) == delim)) {
        String v = sb.toString();
        out.add(!quoted && v.equals(format.nullString()) ? null : v);
        sb.setLength(0);
        quoted = false;
        if (i >= n) {
          return out;
        }
        continue;
      }
      char c = l.charAt(i);
      if (inQuotes) {
        if (c == escape && i + 1 < n && l.charAt(i + 1) == quote) {
          sb.append(quote);
          i++;
        } else if (c == quote) {
          inQuotes = false;
        } else {
          sb.append(c);
        }
      } else if (c == quote) {
        inQuotes = true;
        quoted = true;
      } else {
        sb.append(c);
      }
    }
  }

  private boolean insideQuotes(CharSequence s) {
    boolean in = false;
    char quote = format.quote();
    char escape = format.escape();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (in && c == escape && i + 1 < s.length() && s.charAt(i + 1) == quote) {
        i++;
      } else if (c == quote) {
        in = !in;
      }
    }
    return in;
  }
}
