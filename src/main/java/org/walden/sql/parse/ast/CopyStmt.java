package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code COPY table [(columns)] FROM STDIN | TO STDOUT [[WITH] options]}, in both the parenthesised
 * option syntax ({@code WITH (FORMAT csv, FREEZE on)}) and the old one ({@code WITH CSV HEADER}).
 * Files and queries are rejected by the parser.
 *
 * @param columns the column list, empty for all columns
 * @param from true for FROM STDIN, false for TO STDOUT
 */
public record CopyStmt(QualifiedName table, List<String> columns, boolean from, Options options)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.COPY;
  }

  /** The data format. */
  public enum Format {
    TEXT,
    CSV,
    BINARY
  }

  /**
   * The COPY options; string options are null when not given (the executor applies the format's
   * default: tab / comma, {@code \N} / empty string, {@code "}).
   */
  public record Options(
      Format format,
      boolean freeze,
      String delimiter,
      String nullString,
      boolean header,
      String quote,
      String escape) {

    public static final Options DEFAULT =
        new Options(Format.TEXT, false, null, null, false, null, null);
  }
}
