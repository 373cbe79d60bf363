package org.walden.server;

import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.CopyStmt;
import org.walden.storage.catalog.Column;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.table.Table;
import org.walden.wire.SqlState;

/**
 * A COPY's resolved options and target columns: text or csv, the delimiter ({@code \t} / {@code
 * ,}), the NULL marker ({@code \N} / empty), header, quote and escape, with PostgreSQL's defaults
 * and checks. Immutable.
 */
record CopyFormat(
    boolean csv,
    char delimiter,
    String nullString,
    boolean header,
    char quote,
    char escape,
    int[] columns) {

  static CopyFormat resolve(CopyStmt stmt, Table table) {
    CopyStmt.Options o = stmt.options();
    if (o.format() == CopyStmt.Format.BINARY) {
      throw Errors.error(SqlState.FEATURE_NOT_SUPPORTED, "COPY BINARY is not supported");
    }
    boolean csv = o.format() == CopyStmt.Format.CSV;
    char delimiter = single(o.delimiter(), csv ? ',' : '\t', "COPY delimiter");
    char quote = single(o.quote(), '"', "COPY quote");
    char escape = single(o.escape(), quote, "COPY escape");
    if (!csv && (o.quote() != null || o.escape() != null)) {
      throw Errors.error(SqlState.FEATURE_NOT_SUPPORTED, "COPY quote available only in CSV mode");
    }
    if (!csv && o.header()) {
      throw Errors.error(SqlState.FEATURE_NOT_SUPPORTED, "COPY HEADER available only in CSV mode");
    }
    String nullString = o.nullString() != null ? o.nullString() : csv ? "" : "\\N";
    return new CopyFormat(
        csv, delimiter, nullString, o.header(), quote, escape, columns(stmt, table.schema()));
  }

  private static char single(String s, char dflt, String what) {
    if (s == null) {
      return dflt;
    }
    if (s.length() != 1) {
      throw Errors.error(
          SqlState.FEATURE_NOT_SUPPORTED, what + " must be a single one-byte character");
    }
    return s.charAt(0);
  }

  private static int[] columns(CopyStmt stmt, TableSchema schema) {
    if (stmt.columns().isEmpty()) {
      int[] all = new int[schema.columns().size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return all;
    }
    List<Integer> out = new ArrayList<>();
    for (String c : stmt.columns()) {
      int i = schema.columnIndex(c);
      if (i < 0) {
        throw Errors.error(
            Errors.UNDEFINED_COLUMN,
            "column \"" + c + "\" of relation \"" + schema.name() + "\" does not exist");
      }
      if (out.contains(i)) {
        throw Errors.error("42701", "column \"" + c + "\" specified more than once");
      }
      out.add(i);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  Column column(TableSchema schema, int field) {
    return schema.column(columns[field]);
  }
}
