package org.walden.sql.parse;

import org.walden.sql.parse.ast.Statement;

/**
 * A statement together with where it came from in the query string: {@code [start, end)} in UTF-16
 * offsets of {@code source}, from its first token to the end of its last (the {@code ;} is not
 * included). Used to report a statement's own text (pg_stat_activity, logging) and to re-parse a
 * single statement of a multi-statement string.
 */
public record ParsedStatement(Statement statement, String source, int start, int end) {

  /** The statement's own source text. */
  public String text() {
    return source.substring(start, end);
  }
}
