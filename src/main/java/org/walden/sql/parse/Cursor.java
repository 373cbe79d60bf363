package org.walden.sql.parse;

import java.util.Locale;

/**
 * The parser's position in a {@link Tokens} stream, with the small vocabulary every part of the
 * parser shares: look at / accept / expect a token, read a name or a string constant, and build the
 * errors PostgreSQL would report at the current token.
 *
 * <p>A statement ends at a {@code ;} or at the end of input; both look like "end" to the grammar,
 * but a syntax error at a {@code ;} says {@code at or near ";"} while one at the true end says
 * {@code at end of input}, as PostgreSQL does.
 *
 * <p>Lifecycle: one per {@link SqlParser} call, used by one thread, then dropped. {@link #depth}
 * counts the nesting of recursive constructs so that hostile input gets a 54001 error instead of a
 * {@link StackOverflowError}.
 */
final class Cursor {

  /** Nesting limit for expressions; each level costs a handful of stack frames. */
  static final int MAX_DEPTH = 500;

  final Tokens t;
  final String sql;
  int pos;
  int depth;

  Cursor(Tokens t) {
    this.t = t;
    this.sql = t.sql;
  }

  int kind() {
    return t.kind[pos];
  }

  int kind(int ahead) {
    int i = Math.min(pos + ahead, t.count - 1);
    return t.kind[i];
  }

  Keyword kw() {
    return t.kw[pos];
  }

  Keyword kw(int ahead) {
    int i = Math.min(pos + ahead, t.count - 1);
    return t.kw[i];
  }

  boolean at(Keyword k) {
    return t.kw[pos] == k;
  }

  boolean at(int kind) {
    return t.kind[pos] == kind;
  }

  boolean atEnd() {
    int k = t.kind[pos];
    return k == Tokens.SEMI || k == Tokens.EOF;
  }

  boolean accept(Keyword k) {
    if (t.kw[pos] == k) {
      pos++;
      return true;
    }
    return false;
  }

  boolean accept(int kind) {
    if (t.kind[pos] == kind) {
      pos++;
      return true;
    }
    return false;
  }

  void expect(Keyword k) {
    if (t.kw[pos] != k) {
      throw syntaxError();
    }
    pos++;
  }

  void expect(int kind) {
    if (t.kind[pos] != kind) {
      throw syntaxError();
    }
    pos++;
  }

  /** Whether the current token is an unquoted word equal to {@code lower} in any case. */
  boolean atWord(String lower) {
    if (t.kind[pos] != Tokens.IDENT) {
      return false;
    }
    int s = t.start[pos];
    int len = t.end[pos] - s;
    return len == lower.length() && sql.regionMatches(true, s, lower, 0, len);
  }

  boolean acceptWord(String lower) {
    if (atWord(lower)) {
      pos++;
      return true;
    }
    return false;
  }

  // ---- names

  /** Whether the current token can be a table or column name (PostgreSQL's ColId). */
  boolean atColId() {
    int k = t.kind[pos];
    if (k == Tokens.QIDENT) {
      return true;
    }
    if (k != Tokens.IDENT) {
      return false;
    }
    Keyword w = t.kw[pos];
    return w == null || w.isColId();
  }

  /** Whether the current token is any word, key word or not (PostgreSQL's ColLabel). */
  boolean atLabel() {
    int k = t.kind[pos];
    return k == Tokens.IDENT || k == Tokens.QIDENT;
  }

  String colId() {
    if (!atColId()) {
      throw syntaxError();
    }
    return name(pos++);
  }

  String label() {
    if (!atLabel()) {
      throw syntaxError();
    }
    return name(pos++);
  }

  /** The name a word token stands for: unquoted folded to lower case, quoted kept as written. */
  String name(int i) {
    int s = t.start[i];
    int e = t.end[i];
    if (t.kind[i] == Tokens.QIDENT) {
      String inner = sql.substring(s + 1, e - 1);
      return inner.indexOf('"') < 0 ? inner : inner.replace("\"\"", "\"");
    }
    for (int j = s; j < e; j++) {
      char c = sql.charAt(j);
      if (c >= 'A' && c <= 'Z') {
        return foldLower(s, e);
      }
    }
    return sql.substring(s, e);
  }

  private String foldLower(int s, int e) {
    char[] out = new char[e - s];
    for (int j = s; j < e; j++) {
      char c = sql.charAt(j);
      out[j - s] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
    return new String(out);
  }

  // ---- constants

  boolean atString() {
    int k = t.kind[pos];
    return k == Tokens.STRING || k == Tokens.ESTRING || k == Tokens.DSTRING;
  }

  /** Reads a string constant (including PostgreSQL's continuation of '…' across newlines). */
  String string() {
    if (!atString()) {
      throw syntaxError();
    }
    String v = StringDecoder.decode(this, pos);
    pos++;
    // 'a'<newline>'b' is one constant 'ab' in SQL; only plain strings continue
    while (t.kind[pos] == Tokens.STRING
        && t.kind[pos - 1] != Tokens.DSTRING
        && hasNewline(t.end[pos - 1], t.start[pos])) {
      v = v + StringDecoder.decode(this, pos);
      pos++;
    }
    return v;
  }

  private boolean hasNewline(int from, int to) {
    for (int i = from; i < to; i++) {
      char c = sql.charAt(i);
      if (c == '\n' || c == '\r') {
        return true;
      }
    }
    return false;
  }

  /** Reads an integer constant that must fit in an int (type modifiers, CONNECTION LIMIT). */
  int smallInt() {
    boolean negative = accept(Tokens.MINUS);
    if (!at(Tokens.INTEGER)) {
      throw syntaxError();
    }
    int s = t.start[pos];
    int e = t.end[pos];
    long v = 0;
    for (int i = s; i < e && v <= Integer.MAX_VALUE; i++) {
      v = v * 10 + (sql.charAt(i) - '0');
    }
    if (v > Integer.MAX_VALUE) {
      throw syntaxError();
    }
    pos++;
    return negative ? (int) -v : (int) v;
  }

  // ---- errors

  SqlParseException syntaxError() {
    return syntaxErrorAt(pos);
  }

  SqlParseException syntaxErrorAt(int i) {
    if (t.kind[i] == Tokens.EOF) {
      return new SqlParseException(
          SqlParseException.SYNTAX_ERROR,
          "syntax error at end of input",
          Lexer.position(sql, t.start[i]),
          null);
    }
    return new SqlParseException(
        SqlParseException.SYNTAX_ERROR,
        "syntax error at or near \"" + t.text(i) + "\"",
        Lexer.position(sql, t.start[i]),
        null);
  }

  /** 0A000 "{what} is not supported" at the current token. */
  SqlParseException unsupported(String what) {
    return unsupportedAt(pos, what);
  }

  SqlParseException unsupportedAt(int i, String what) {
    return new SqlParseException(
        SqlParseException.FEATURE_NOT_SUPPORTED,
        what + " is not supported",
        Lexer.position(sql, t.start[i]),
        null);
  }

  SqlParseException errorAt(int i, String sqlState, String message) {
    return new SqlParseException(sqlState, message, Lexer.position(sql, t.start[i]), null);
  }

  /** The current token's text in upper case, for "X is not supported" messages. */
  String upperText() {
    return t.text(pos).toUpperCase(Locale.ROOT);
  }

  // ---- nesting guard

  void enter() {
    if (++depth > MAX_DEPTH) {
      throw new SqlParseException(
          SqlParseException.STATEMENT_TOO_COMPLEX,
          "stack depth limit exceeded",
          Lexer.position(sql, t.start[pos]),
          "The statement is nested more than " + MAX_DEPTH + " levels deep; simplify it.");
    }
  }

  void leave() {
    depth--;
  }
}
