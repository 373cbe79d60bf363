package org.walden.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.walden.sql.parse.ast.CopyStmt;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.table.Table;
import org.walden.storage.txn.RowCursor;
import org.walden.storage.txn.Transaction;
import org.walden.wire.codec.MessageWriter;
import org.walden.wire.session.QueryOutput;

/**
 * {@code COPY t [(cols)] TO STDOUT} in text or csv format: one CopyData per row, in key order, from
 * the statement's snapshot; then CopyDone. Values use PostgreSQL's text output; text format escapes
 * backslash, the delimiter and control characters and writes NULL as {@code \N}; csv quotes a value
 * that holds the delimiter, the quote, a newline, or equals the NULL marker. One-shot; session
 * thread only.
 */
final class CopyToStdout {
  private CopyToStdout() {}

  static String run(CopyStmt stmt, Transaction txn, QueryOutput out, Runnable checkCancel)
      throws IOException {
    Table table = txn.table(stmt.table().name());
    if (table == null) {
      throw Errors.error(
          Errors.UNDEFINED_TABLE, "relation \"" + stmt.table() + "\" does not exist");
    }
    TableSchema schema = table.schema();
    CopyFormat f = CopyFormat.resolve(stmt, table);
    int[] cols = f.columns();
    out.startCopyOut(0, new short[cols.length]);
    MessageWriter w = out.writer();
    StringBuilder sb = new StringBuilder();
    if (f.header()) {
      for (int i = 0; i < cols.length; i++) {
        if (i > 0) {
          sb.append(f.delimiter());
        }
        csvValue(sb, schema.column(cols[i]).name(), f);
      }
      sendLine(w, sb);
    }
    long rows = 0;
    RowCursor rc = txn.scan(table);
    while (rc.next()) {
      Object[] values = schema.rowCodec().decode(rc.row());
      for (int i = 0; i < cols.length; i++) {
        if (i > 0) {
          sb.append(f.delimiter());
        }
        Object v = values[cols[i]];
        if (v == null) {
          sb.append(f.nullString());
        } else {
          String text = schema.column(cols[i]).type().format(v);
          if (f.csv()) {
            csvValue(sb, text, f);
          } else {
            textValue(sb, text, f.delimiter());
          }
        }
      }
      sendLine(w, sb);
      if ((++rows & 1023) == 0) {
        checkCancel.run();
      }
    }
    w.copyDone();
    return "COPY " + rows;
  }

  private static void sendLine(MessageWriter w, StringBuilder sb) throws IOException {
    sb.append('\n');
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    w.copyData(b, 0, b.length);
    sb.setLength(0);
  }

  private static void textValue(StringBuilder sb, String v, char delimiter) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\u000B' -> sb.append("\\v");
        default -> {
          if (c == delimiter) {
            sb.append('\\');
          }
          sb.append(c);
        }
      }
    }
  }

  private static void csvValue(StringBuilder sb, String v, CopyFormat f) {
    boolean needQuotes = v.isEmpty() ? f.nullString().isEmpty() : v.equals(f.nullString());
    for (int i = 0; i < v.length() && !needQuotes; i++) {
      char c = v.charAt(i);
      needQuotes = c == f.delimiter() || c == f.quote() || c == '\n' || c == '\r';
    }
    if (!needQuotes) {
      sb.append(v);
      return;
    }
    sb.append(f.quote());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == f.quote() || c == f.escape()) {
        sb.append(f.escape());
      }
      sb.append(c);
    }
    sb.append(f.quote());
  }
}
