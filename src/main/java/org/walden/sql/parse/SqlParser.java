package org.walden.sql.parse;

import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.CommandTag;
import org.walden.sql.parse.ast.EmptyStmt;
import org.walden.sql.parse.ast.Statement;

/**
 * The entry point: SQL text in, syntax trees out.
 *
 * <p>{@link #parseAll} serves the simple query protocol, where one string may hold several
 * statements separated by {@code ;}. As in PostgreSQL the whole string is parsed before anything
 * runs, so an error anywhere means no statement runs; empty statements ({@code ;;}) are skipped,
 * and a string with none at all yields an empty list (answered with EmptyQueryResponse). {@link
 * #parse} serves the extended protocol's Parse message, which allows at most one statement.
 *
 * <p>Every failure is a {@link SqlParseException} with a SQLSTATE and a 1-based position; no other
 * exception escapes for any input (the fuzz test holds the parser to that). Stateless and
 * thread-safe: each call builds its own lexer output and cursor.
 */
public final class SqlParser {

  private SqlParser() {}

  /** Parses every statement in {@code sql}, in order, without their spans. */
  public static List<Statement> parseAll(String sql) {
    List<ParsedStatement> parsed = parseScript(sql);
    if (parsed.size() == 1) {
      return List.of(parsed.get(0).statement());
    }
    List<Statement> out = new ArrayList<>(parsed.size());
    for (ParsedStatement p : parsed) {
      out.add(p.statement());
    }
    return List.copyOf(out);
  }

  /** Parses every statement in {@code sql}, each with its source span. */
  public static List<ParsedStatement> parseScript(String sql) {
    Cursor c = new Cursor(Lexer.lex(sql));
    try {
      StatementParser parser = new StatementParser(c);
      List<ParsedStatement> out = null;
      while (true) {
        while (c.accept(Tokens.SEMI)) {
          // empty statement
        }
        if (c.at(Tokens.EOF)) {
          return out == null ? List.of() : List.copyOf(out);
        }
        int first = c.pos;
        Statement s = parser.statement();
        ParsedStatement p = new ParsedStatement(s, sql, c.t.start[first], c.t.end[c.pos - 1]);
        if (out == null) {
          if (c.at(Tokens.EOF) || onlySemicolonsLeft(c)) {
            return List.of(p);
          }
          out = new ArrayList<>(4);
        }
        out.add(p);
      }
    } catch (StackOverflowError deep) {
      // the depth limit should catch nesting first; this is the backstop for small thread stacks
      throw new SqlParseException(
          SqlParseException.STATEMENT_TOO_COMPLEX,
          "stack depth limit exceeded",
          Lexer.position(sql, c.t.start[Math.min(c.pos, c.t.count - 1)]),
          "The statement is nested too deeply; simplify it.");
    }
  }

  private static boolean onlySemicolonsLeft(Cursor c) {
    for (int i = c.pos; i < c.t.count; i++) {
      if (c.t.kind[i] != Tokens.SEMI && c.t.kind[i] != Tokens.EOF) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a string that must hold at most one statement (the extended protocol's Parse). An empty
   * string gives {@link EmptyStmt}; more than one statement is 42601 "cannot insert multiple
   * commands into a prepared statement", as PostgreSQL says.
   */
  public static Statement parse(String sql) {
    List<ParsedStatement> all = parseScript(sql);
    if (all.isEmpty()) {
      return EmptyStmt.INSTANCE;
    }
    if (all.size() > 1) {
      throw new SqlParseException(
          SqlParseException.SYNTAX_ERROR,
          "cannot insert multiple commands into a prepared statement",
          0,
          null);
    }
    return all.get(0).statement();
  }

  /**
   * The command tag a statement string would produce, from its first words only, without a full
   * parse; {@link CommandTag#EMPTY} for an empty string and null when the first words are not a
   * statement this parser accepts. Cheap enough for logging and routing decisions; the
   * authoritative answer is {@link Statement#commandTag()} after {@link #parse}.
   */
  public static CommandTag peekCommandTag(String sql) {
    Tokens t;
    try {
      t = Lexer.lex(sql);
    } catch (SqlParseException e) {
      return null;
    }
    int i = 0;
    while (t.kind[i] == Tokens.SEMI) {
      i++;
    }
    if (t.kind[i] == Tokens.EOF) {
      return CommandTag.EMPTY;
    }
    Keyword k = t.kw[i];
    Keyword next = t.kw[Math.min(i + 1, t.count - 1)];
    if (k == null) {
      return null;
    }
    return switch (k) {
      case SELECT -> CommandTag.SELECT;
      case INSERT -> CommandTag.INSERT;
      case UPDATE -> CommandTag.UPDATE;
      case DELETE -> CommandTag.DELETE;
      case BEGIN -> CommandTag.BEGIN;
      case START -> CommandTag.START_TRANSACTION;
      case COMMIT, END -> CommandTag.COMMIT;
      case ROLLBACK, ABORT -> CommandTag.ROLLBACK;
      case SET -> CommandTag.SET;
      case SHOW -> CommandTag.SHOW;
      case RESET -> CommandTag.RESET;
      case COPY -> CommandTag.COPY;
      case TRUNCATE -> CommandTag.TRUNCATE_TABLE;
      case VACUUM -> CommandTag.VACUUM;
      case ANALYZE, ANALYSE -> CommandTag.ANALYZE;
      case CREATE ->
          next == Keyword.TABLE
              ? CommandTag.CREATE_TABLE
              : next == Keyword.ROLE || next == Keyword.USER ? CommandTag.CREATE_ROLE : null;
      case DROP ->
          next == Keyword.TABLE
              ? CommandTag.DROP_TABLE
              : next == Keyword.ROLE || next == Keyword.USER ? CommandTag.DROP_ROLE : null;
      case ALTER ->
          isWord(t, sql, i + 1, "system")
              ? CommandTag.ALTER_SYSTEM
              : next == Keyword.TABLE
                  ? CommandTag.ALTER_TABLE
                  : next == Keyword.ROLE || next == Keyword.USER ? CommandTag.ALTER_ROLE : null;
      default -> null;
    };
  }

  private static boolean isWord(Tokens t, String sql, int i, String lower) {
    return i < t.count
        && t.kind[i] == Tokens.IDENT
        && t.end[i] - t.start[i] == lower.length()
        && sql.regionMatches(true, t.start[i], lower, 0, lower.length());
  }
}
