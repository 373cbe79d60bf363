package org.walden.sql.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.walden.sql.parse.ast.AlterSystemStmt;
import org.walden.sql.parse.ast.CopyStmt;
import org.walden.sql.parse.ast.QualifiedName;
import org.walden.sql.parse.ast.ResetStmt;
import org.walden.sql.parse.ast.SetStmt;
import org.walden.sql.parse.ast.ShowStmt;
import org.walden.sql.parse.ast.Statement;
import org.walden.sql.parse.ast.TransactionStmt;
import org.walden.sql.parse.ast.TransactionStmt.AccessMode;
import org.walden.sql.parse.ast.TransactionStmt.IsolationLevel;
import org.walden.sql.parse.ast.TransactionStmt.Kind;

/**
 * Transaction control (BEGIN, START TRANSACTION, COMMIT/END, ROLLBACK/ABORT, SET TRANSACTION),
 * run-time parameters (SET, SHOW, RESET) and COPY. Savepoints, two-phase commit, AND CHAIN, SET
 * ROLE/SESSION AUTHORIZATION and COPY to or from files and queries are 0A000.
 */
final class UtilityParser {

  private final Cursor c;
  private final QueryParser q;

  UtilityParser(Cursor c, QueryParser q) {
    this.c = c;
    this.q = q;
  }

  // ---- transactions

  TransactionStmt begin() {
    c.pos++; // BEGIN
    if (!c.accept(Keyword.WORK)) {
      c.accept(Keyword.TRANSACTION);
    }
    return modes(Kind.BEGIN);
  }

  TransactionStmt start() {
    c.expect(Keyword.START);
    c.expect(Keyword.TRANSACTION);
    return modes(Kind.START_TRANSACTION);
  }

  /** COMMIT / END / ROLLBACK / ABORT. */
  TransactionStmt finish(Kind kind) {
    c.pos++;
    if (c.atWord("prepared")) {
      throw c.unsupported("two-phase commit");
    }
    if (kind == Kind.ROLLBACK && c.at(Keyword.TO)) {
      throw c.unsupported("ROLLBACK TO SAVEPOINT");
    }
    if (!c.accept(Keyword.WORK)) {
      c.accept(Keyword.TRANSACTION);
    }
    if (kind == Kind.ROLLBACK && c.at(Keyword.TO)) {
      throw c.unsupported("ROLLBACK TO SAVEPOINT");
    }
    if (c.accept(Keyword.AND)) {
      if (!c.accept(Keyword.NO)) {
        if (c.at(Keyword.CHAIN)) {
          throw c.unsupported("AND CHAIN");
        }
        throw c.syntaxError();
      }
      c.expect(Keyword.CHAIN);
    }
    return TransactionStmt.of(kind);
  }

  private TransactionStmt modes(Kind kind) {
    IsolationLevel isolation = null;
    AccessMode access = AccessMode.DEFAULT;
    boolean first = true;
    while (!c.atEnd()) {
      if (!first) {
        c.accept(Tokens.COMMA);
      }
      first = false;
      if (c.accept(Keyword.ISOLATION)) {
        c.expect(Keyword.LEVEL);
        isolation = isolationLevel();
      } else if (c.accept(Keyword.READ)) {
        if (c.acceptWord("only")) {
          access = AccessMode.READ_ONLY;
        } else if (c.accept(Keyword.ONLY)) {
          access = AccessMode.READ_ONLY;
        } else {
          c.expect(Keyword.WRITE);
          access = AccessMode.READ_WRITE;
        }
      } else if (c.accept(Keyword.NOT)) {
        c.expect(Keyword.DEFERRABLE);
      } else if (c.accept(Keyword.DEFERRABLE)) {
        // only meaningful for SERIALIZABLE READ ONLY; accepted and dropped
      } else {
        throw c.syntaxError();
      }
    }
    return new TransactionStmt(kind, isolation, access);
  }

  private IsolationLevel isolationLevel() {
    if (c.accept(Keyword.SERIALIZABLE)) {
      return IsolationLevel.SERIALIZABLE;
    }
    if (c.accept(Keyword.REPEATABLE)) {
      c.expect(Keyword.READ);
      return IsolationLevel.REPEATABLE_READ;
    }
    c.expect(Keyword.READ);
    if (c.accept(Keyword.COMMITTED)) {
      return IsolationLevel.READ_COMMITTED;
    }
    c.expect(Keyword.UNCOMMITTED);
    return IsolationLevel.READ_UNCOMMITTED;
  }

  // ---- SET / SHOW / RESET

  /**
   * {@code SET SESSION CHARACTERISTICS AS TRANSACTION …} (pgjdbc's setTransactionIsolation and
   * setReadOnly): the session defaults, so it becomes a SET of default_transaction_isolation or
   * default_transaction_read_only.
   */
  private Statement sessionCharacteristics() {
    int start = c.pos;
    c.pos += 2;
    c.expect(Keyword.AS);
    c.expect(Keyword.TRANSACTION);
    TransactionStmt m = modes(Kind.SET_TRANSACTION);
    boolean hasAccess = m.access() != AccessMode.DEFAULT;
    if (m.isolation() != null && hasAccess) {
      throw c.unsupportedAt(start, "SET SESSION CHARACTERISTICS with more than one mode");
    }
    if (m.isolation() != null) {
      return new SetStmt(false, "default_transaction_isolation", List.of(m.isolation().pgName()));
    }
    if (hasAccess) {
      return new SetStmt(
          false,
          "default_transaction_read_only",
          List.of(m.access() == AccessMode.READ_ONLY ? "on" : "off"));
    }
    throw c.syntaxError();
  }

  Statement set() {
    c.expect(Keyword.SET);
    boolean local = false;
    if (c.at(Keyword.SESSION)) {
      if (c.kw(1) == Keyword.CHARACTERISTICS) {
        return sessionCharacteristics();
      }
      if (c.kw(1) == Keyword.AUTHORIZATION) {
        throw c.unsupportedAt(c.pos, "SET SESSION " + c.t.text(c.pos + 1).toUpperCase(Locale.ROOT));
      }
      c.pos++;
    } else if (c.accept(Keyword.LOCAL)) {
      local = true;
    }
    if (c.at(Keyword.TRANSACTION)) {
      c.pos++;
      if (c.atWord("snapshot")) {
        throw c.unsupported("SET TRANSACTION SNAPSHOT");
      }
      return modes(Kind.SET_TRANSACTION);
    }
    if (c.at(Keyword.ROLE) || c.at(Keyword.AUTHORIZATION)) {
      throw c.unsupported("SET " + c.upperText());
    }
    if (c.at(Keyword.TIME) && c.kw(1) == Keyword.ZONE) {
      c.pos += 2;
      if (c.accept(Keyword.LOCAL) || c.accept(Keyword.DEFAULT)) {
        return new SetStmt(local, "timezone", List.of());
      }
      if (c.at(Keyword.INTERVAL)) {
        throw c.unsupported("SET TIME ZONE INTERVAL");
      }
      return new SetStmt(local, "timezone", List.of(value()));
    }
    if (c.accept(Keyword.NAMES)) {
      return new SetStmt(local, "client_encoding", c.atEnd() ? List.of() : List.of(value()));
    }
    if (c.accept(Keyword.SCHEMA)) {
      return new SetStmt(local, "search_path", List.of(c.string()));
    }
    String name = parameterName();
    if (!c.accept(Keyword.TO) && !c.accept(Tokens.EQ)) {
      if (c.at(Keyword.FROM) && c.kw(1) == Keyword.CURRENT) {
        throw c.unsupported("SET ... FROM CURRENT");
      }
      throw c.syntaxError();
    }
    if (c.at(Keyword.DEFAULT)) {
      c.pos++;
      return new SetStmt(local, name, List.of());
    }
    List<String> values = new ArrayList<>(1);
    do {
      values.add(value());
    } while (c.accept(Tokens.COMMA));
    return new SetStmt(local, name, List.copyOf(values));
  }

  /**
   * {@code ALTER SYSTEM SET name {TO | =} value, … | DEFAULT}, {@code ALTER SYSTEM RESET name |
   * ALL}. The values are read as SET reads them.
   */
  AlterSystemStmt alterSystem() {
    c.expect(Keyword.ALTER);
    if (!c.acceptWord("system")) {
      throw c.syntaxError();
    }
    if (c.accept(Keyword.RESET)) {
      return new AlterSystemStmt(c.accept(Keyword.ALL) ? "all" : parameterName(), List.of(), true);
    }
    c.expect(Keyword.SET);
    String name = parameterName();
    if (!c.accept(Keyword.TO) && !c.accept(Tokens.EQ)) {
      throw c.syntaxError();
    }
    if (c.accept(Keyword.DEFAULT)) {
      return new AlterSystemStmt(name, List.of(), false);
    }
    List<String> values = new ArrayList<>(1);
    do {
      values.add(value());
    } while (c.accept(Tokens.COMMA));
    return new AlterSystemStmt(name, List.copyOf(values), false);
  }

  /** A parameter name: a word, optionally qualified ({@code myext.setting}). */
  private String parameterName() {
    String name = c.label();
    while (c.accept(Tokens.DOT)) {
      name = name + "." + c.label();
    }
    return name;
  }

  /** One SET value as text. */
  private String value() {
    if (c.atString()) {
      return c.string();
    }
    boolean minus = c.accept(Tokens.MINUS);
    if (!minus) {
      c.accept(Tokens.PLUS);
    }
    if (c.at(Tokens.INTEGER) || c.at(Tokens.NUMERIC)) {
      String text = c.t.text(c.pos++);
      return minus ? "-" + text : text;
    }
    if (minus || !c.atLabel()) {
      throw c.syntaxError();
    }
    return c.name(c.pos++);
  }

  ShowStmt show() {
    c.expect(Keyword.SHOW);
    return new ShowStmt(specialName());
  }

  ResetStmt reset() {
    c.expect(Keyword.RESET);
    return new ResetStmt(specialName());
  }

  /** The name after SHOW or RESET, including the multi-word forms. */
  private String specialName() {
    if (c.accept(Keyword.ALL)) {
      return "all";
    }
    if (c.at(Keyword.TIME) && c.kw(1) == Keyword.ZONE) {
      c.pos += 2;
      return "timezone";
    }
    if (c.at(Keyword.TRANSACTION) && c.kw(1) == Keyword.ISOLATION) {
      c.pos += 2;
      c.expect(Keyword.LEVEL);
      return "transaction_isolation";
    }
    if (c.at(Keyword.SESSION) && c.kw(1) == Keyword.AUTHORIZATION) {
      c.pos += 2;
      return "session_authorization";
    }
    return parameterName();
  }

  // ---- COPY

  CopyStmt copy() {
    c.expect(Keyword.COPY);
    if (c.at(Tokens.LPAREN)) {
      throw c.unsupported("COPY (query)");
    }
    boolean binary = c.accept(Keyword.BINARY);
    QualifiedName table = q.qualifiedName();
    List<String> columns = List.of();
    if (c.accept(Tokens.LPAREN)) {
      columns = q.nameList();
      c.expect(Tokens.RPAREN);
    }
    boolean from;
    if (c.accept(Keyword.FROM)) {
      from = true;
      if (!c.accept(Keyword.STDIN)) {
        throw c.atString() || c.atWord("program")
            ? c.unsupported("COPY FROM a file or program")
            : c.syntaxError();
      }
    } else {
      c.expect(Keyword.TO);
      from = false;
      if (!c.accept(Keyword.STDOUT)) {
        throw c.atString() || c.atWord("program")
            ? c.unsupported("COPY TO a file or program")
            : c.syntaxError();
      }
    }
    CopyOptionsBuilder o = new CopyOptionsBuilder();
    if (binary) {
      o.format = CopyStmt.Format.BINARY;
    }
    c.accept(Keyword.WITH);
    if (c.at(Tokens.LPAREN)) {
      genericCopyOptions(o);
    } else {
      legacyCopyOptions(o);
    }
    if (c.at(Keyword.WHERE)) {
      throw c.unsupported("COPY FROM ... WHERE");
    }
    return new CopyStmt(table, columns, from, o.build());
  }

  /** Mutable while parsing, then frozen into {@link CopyStmt.Options}. */
  private static final class CopyOptionsBuilder {
    CopyStmt.Format format = CopyStmt.Format.TEXT;
    boolean freeze;
    String delimiter;
    String nullString;
    boolean header;
    String quote;
    String escape;

    CopyStmt.Options build() {
      return new CopyStmt.Options(format, freeze, delimiter, nullString, header, quote, escape);
    }
  }

  /** {@code (FORMAT csv, FREEZE on, DELIMITER ',', HEADER, NULL '')}. */
  private void genericCopyOptions(CopyOptionsBuilder o) {
    c.pos++; // (
    do {
      if (!c.atLabel()) {
        throw c.syntaxError();
      }
      int nameAt = c.pos;
      String name = c.name(c.pos++);
      String value = null;
      int valueAt = c.pos;
      if (!c.at(Tokens.COMMA) && !c.at(Tokens.RPAREN)) {
        value = optionValue();
      }
      switch (name) {
        case "format" -> {
          if (value == null) {
            throw c.syntaxErrorAt(valueAt);
          }
          o.format =
              switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> CopyStmt.Format.TEXT;
                case "csv" -> CopyStmt.Format.CSV;
                case "binary" -> CopyStmt.Format.BINARY;
                default ->
                    throw c.errorAt(
                        valueAt,
                        SqlParseException.SYNTAX_ERROR,
                        "COPY format \"" + value + "\" not recognized");
              };
        }
        case "freeze" -> o.freeze = bool(value, valueAt, name);
        case "header" ->
            o.header =
                value != null && value.equalsIgnoreCase("match") || bool(value, valueAt, name);
        case "delimiter" -> o.delimiter = stringOption(value, valueAt);
        case "null" -> o.nullString = stringOption(value, valueAt);
        case "quote" -> o.quote = stringOption(value, valueAt);
        case "escape" -> o.escape = stringOption(value, valueAt);
        case "encoding" -> stringOption(value, valueAt);
        case "force_quote", "force_not_null", "force_null" ->
            throw c.unsupportedAt(nameAt, "COPY option " + name);
        default ->
            throw c.errorAt(
                nameAt, SqlParseException.SYNTAX_ERROR, "option \"" + name + "\" not recognized");
      }
    } while (c.accept(Tokens.COMMA));
    c.expect(Tokens.RPAREN);
  }

  private String optionValue() {
    if (c.atString()) {
      return c.string();
    }
    if (c.at(Tokens.INTEGER) || c.at(Tokens.NUMERIC)) {
      return c.t.text(c.pos++);
    }
    if (c.at(Tokens.STAR) || c.at(Tokens.LPAREN)) {
      throw c.unsupported("this COPY option value");
    }
    if (!c.atLabel()) {
      throw c.syntaxError();
    }
    return c.name(c.pos++);
  }

  private boolean bool(String value, int at, String option) {
    if (value == null) {
      return true;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "on", "1", "yes" -> true;
      case "false", "off", "0", "no" -> false;
      default ->
          throw c.errorAt(at, SqlParseException.SYNTAX_ERROR, option + " requires a Boolean value");
    };
  }

  private String stringOption(String value, int at) {
    if (value == null) {
      throw c.syntaxErrorAt(at);
    }
    return value;
  }

  /** {@code [BINARY] [DELIMITER [AS] 'x'] [NULL [AS] 'x'] [CSV [HEADER] [QUOTE 'q'] …]}. */
  private void legacyCopyOptions(CopyOptionsBuilder o) {
    while (!c.atEnd() && !c.at(Keyword.WHERE)) {
      Keyword k = c.kw();
      if (k == Keyword.BINARY) {
        c.pos++;
        o.format = CopyStmt.Format.BINARY;
      } else if (k == Keyword.FREEZE) {
        c.pos++;
        o.freeze = true;
      } else if (k == Keyword.CSV) {
        c.pos++;
        o.format = CopyStmt.Format.CSV;
      } else if (k == Keyword.HEADER) {
        c.pos++;
        o.header = true;
      } else if (k == Keyword.DELIMITER) {
        c.pos++;
        c.accept(Keyword.AS);
        o.delimiter = c.string();
      } else if (k == Keyword.NULL) {
        c.pos++;
        c.accept(Keyword.AS);
        o.nullString = c.string();
      } else if (k == Keyword.QUOTE) {
        c.pos++;
        c.accept(Keyword.AS);
        o.quote = c.string();
      } else if (k == Keyword.ESCAPE) {
        c.pos++;
        c.accept(Keyword.AS);
        o.escape = c.string();
      } else if (k == Keyword.FORCE) {
        throw c.unsupported("COPY ... FORCE");
      } else {
        throw c.syntaxError();
      }
    }
  }
}
