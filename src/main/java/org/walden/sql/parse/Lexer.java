package org.walden.sql.parse;

/**
 * Splits a query string into {@link Tokens}, following PostgreSQL's scanner ({@code scan.l}) for
 * the parts this dialect uses: whitespace and both comment forms (block comments nest), unquoted
 * words (ASCII folded to lower case, key words tagged), quoted identifiers, integer and numeric
 * constants, standard-conforming {@code '…'} strings, {@code E'…'} escape strings, dollar-quoted
 * strings, {@code $n} parameters, punctuation and operators (including PostgreSQL's rule that a
 * multi-character operator may not end in {@code +} or {@code -} unless it contains one of {@code
 * ~!@#^&|`?%}, so that {@code a=-1} is {@code a = -1}).
 *
 * <p>One pass over the {@code String} with {@code charAt}; no regular expressions and no
 * substrings. Errors (unterminated strings, quoted identifiers and comments, junk after numbers)
 * are thrown as {@link SqlParseException} with PostgreSQL's messages; all are 42601.
 *
 * <p>Stateless; safe to use from any thread.
 */
final class Lexer {

  private Lexer() {}

  static Tokens lex(String sql) {
    int n = sql.length();
    Tokens t = new Tokens(sql, Math.max(8, Math.min(n / 4 + 4, 1 << 16)));
    int i = 0;
    while (true) {
      i = skipSpaceAndComments(sql, i);
      if (i >= n) {
        t.add(Tokens.EOF, n, n, null);
        return t;
      }
      char c = sql.charAt(i);
      int s = i;
      if (isIdentStart(c)) {
        if ((c == 'e' || c == 'E') && i + 1 < n && sql.charAt(i + 1) == '\'') {
          i = scanString(sql, i + 1, true);
          t.add(Tokens.ESTRING, s, i, null);
          continue;
        }
        if ((c | 0x20) == 'b' || (c | 0x20) == 'x' || c == 'U' || c == 'u') {
          rejectSpecialString(sql, i);
        }
        i++;
        while (i < n && isIdentCont(sql.charAt(i))) {
          i++;
        }
        t.add(Tokens.IDENT, s, i, Keyword.lookup(sql, s, i));
        continue;
      }
      if (c >= '0' && c <= '9' || c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1))) {
        i = scanNumber(sql, i, t);
        continue;
      }
      switch (c) {
        case '\'' -> {
          i = scanString(sql, i, false);
          t.add(Tokens.STRING, s, i, null);
        }
        case '"' -> {
          i = scanQuotedIdent(sql, i);
          t.add(Tokens.QIDENT, s, i, null);
        }
        case '$' -> i = scanDollar(sql, i, t);
        case '(' -> t.add(Tokens.LPAREN, s, ++i, null);
        case ')' -> t.add(Tokens.RPAREN, s, ++i, null);
        case ',' -> t.add(Tokens.COMMA, s, ++i, null);
        case ';' -> t.add(Tokens.SEMI, s, ++i, null);
        case '.' -> t.add(Tokens.DOT, s, ++i, null);
        case '[' -> t.add(Tokens.LBRACKET, s, ++i, null);
        case ']' -> t.add(Tokens.RBRACKET, s, ++i, null);
        case ':' -> {
          if (i + 1 < n && sql.charAt(i + 1) == ':') {
            t.add(Tokens.TYPECAST, s, i += 2, null);
          } else if (i + 1 < n && sql.charAt(i + 1) == '=') {
            t.add(Tokens.COLON_EQUALS, s, i += 2, null);
          } else {
            t.add(Tokens.COLON, s, ++i, null);
          }
        }
        default -> {
          if (!isOpChar(c)) {
            throw new SqlParseException(
                SqlParseException.SYNTAX_ERROR,
                "syntax error at or near \""
                    + sql.substring(s, s + Character.charCount(sql.codePointAt(s)))
                    + "\"",
                position(sql, s),
                null);
          }
          i = scanOperator(sql, i, t);
        }
      }
    }
  }

  /** B'0101', X'1F' and U&'…' constants: PostgreSQL has them, this dialect does not. */
  private static void rejectSpecialString(String sql, int i) {
    int n = sql.length();
    char c = sql.charAt(i);
    boolean bitString = (c | 0x20) != 'u' && i + 1 < n && sql.charAt(i + 1) == '\'';
    boolean unicode =
        (c | 0x20) == 'u'
            && i + 2 < n
            && sql.charAt(i + 1) == '&'
            && (sql.charAt(i + 2) == '\'' || sql.charAt(i + 2) == '"');
    if (bitString || unicode) {
      throw new SqlParseException(
          SqlParseException.FEATURE_NOT_SUPPORTED,
          (bitString ? "bit-string constants" : "Unicode escapes (U&)") + " is not supported",
          position(sql, i),
          null);
    }
  }

  /** 1-based position in code points of the character at {@code offset}. */
  static int position(String sql, int offset) {
    return sql.codePointCount(0, Math.min(offset, sql.length())) + 1;
  }

  private static int skipSpaceAndComments(String sql, int i) {
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int s = i;
        int depth = 1;
        i += 2;
        while (depth > 0) {
          if (i + 1 >= n) {
            throw lexError("unterminated /* comment", sql, s);
          }
          char a = sql.charAt(i);
          char b = sql.charAt(i + 1);
          if (a == '*' && b == '/') {
            depth--;
            i += 2;
          } else if (a == '/' && b == '*') {
            depth++;
            i += 2;
          } else {
            i++;
          }
        }
      } else {
        return i;
      }
    }
    return i;
  }

  /** An error about a construct that runs to the end of input: PostgreSQL quotes the rest. */
  private static SqlParseException lexError(String what, String sql, int s) {
    return new SqlParseException(
        SqlParseException.SYNTAX_ERROR,
        what + " at or near \"" + sql.substring(s) + "\"",
        position(sql, s),
        null);
  }

  /** Scans a string starting at the opening quote; returns the offset after the closing quote. */
  private static int scanString(String sql, int quote, boolean backslashEscapes) {
    int n = sql.length();
    int i = quote + 1;
    while (true) {
      if (i >= n) {
        throw lexError("unterminated quoted string", sql, backslashEscapes ? quote - 1 : quote);
      }
      char c = sql.charAt(i);
      if (c == '\'') {
        if (i + 1 < n && sql.charAt(i + 1) == '\'') {
          i += 2;
          continue;
        }
        return i + 1;
      }
      if (c == '\\' && backslashEscapes) {
        i += 2;
        continue;
      }
      i++;
    }
  }

  private static int scanQuotedIdent(String sql, int quote) {
    int n = sql.length();
    int i = quote + 1;
    while (true) {
      if (i >= n) {
        throw lexError("unterminated quoted identifier", sql, quote);
      }
      if (sql.charAt(i) == '"') {
        if (i + 1 < n && sql.charAt(i + 1) == '"') {
          i += 2;
          continue;
        }
        if (i == quote + 1) {
          throw new SqlParseException(
              SqlParseException.SYNTAX_ERROR,
              "zero-length delimited identifier at or near \"\"\"\"",
              position(sql, quote),
              null);
        }
        return i + 1;
      }
      i++;
    }
  }

  /** {@code $n} parameter or {@code $tag$…$tag$} string. */
  private static int scanDollar(String sql, int s, Tokens t) {
    int n = sql.length();
    int i = s + 1;
    if (i < n && isDigit(sql.charAt(i))) {
      while (i < n && isDigit(sql.charAt(i))) {
        i++;
      }
      if (i < n && isIdentCont(sql.charAt(i))) {
        throw junk("trailing junk after parameter", sql, s, i);
      }
      t.add(Tokens.PARAM, s, i, null);
      return i;
    }
    // dollar quote: $ [tag] $, where the tag is an identifier without '$'
    if (i < n && isIdentStart(sql.charAt(i))) {
      i++;
      while (i < n && isIdentCont(sql.charAt(i)) && sql.charAt(i) != '$') {
        i++;
      }
    }
    if (i >= n || sql.charAt(i) != '$') {
      throw new SqlParseException(
          SqlParseException.SYNTAX_ERROR, "syntax error at or near \"$\"", position(sql, s), null);
    }
    int tagEnd = i + 1;
    String tag = sql.substring(s, tagEnd);
    int close = sql.indexOf(tag, tagEnd);
    if (close < 0) {
      throw lexError("unterminated dollar-quoted string", sql, s);
    }
    int e = close + tag.length();
    t.add(Tokens.DSTRING, s, e, null);
    return e;
  }

  private static SqlParseException junk(String what, String sql, int s, int junkAt) {
    int e = junkAt + Character.charCount(sql.codePointAt(junkAt));
    return new SqlParseException(
        SqlParseException.SYNTAX_ERROR,
        what + " at or near \"" + sql.substring(s, e) + "\"",
        position(sql, s),
        null);
  }

  private static int scanNumber(String sql, int s, Tokens t) {
    int n = sql.length();
    int i = s;
    boolean integer = true;
    while (i < n && isDigit(sql.charAt(i))) {
      i++;
    }
    // a point followed by a second point is a range operator in PostgreSQL, not a decimal point
    if (i < n && sql.charAt(i) == '.' && !(i + 1 < n && sql.charAt(i + 1) == '.')) {
      integer = false;
      i++;
      while (i < n && isDigit(sql.charAt(i))) {
        i++;
      }
    }
    if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < n && isDigit(sql.charAt(j))) {
        integer = false;
        i = j;
        while (i < n && isDigit(sql.charAt(i))) {
          i++;
        }
      }
    }
    if (i < n && isIdentStart(sql.charAt(i))) {
      throw junk("trailing junk after numeric literal", sql, s, i);
    }
    t.add(integer ? Tokens.INTEGER : Tokens.NUMERIC, s, i, null);
    return i;
  }

  private static int scanOperator(String sql, int s, Tokens t) {
    int n = sql.length();
    int i = s + 1;
    while (i < n && isOpChar(sql.charAt(i))) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : 0;
      if (c == '-' && next == '-' || c == '/' && next == '*') {
        break; // a comment starts inside the operator
      }
      i++;
    }
    int e = i;
    if (e - s > 1 && (sql.charAt(e - 1) == '+' || sql.charAt(e - 1) == '-')) {
      boolean special = false;
      for (int k = s; k < e; k++) {
        if ("~!@#^&|`?%".indexOf(sql.charAt(k)) >= 0) {
          special = true;
          break;
        }
      }
      if (!special) {
        while (e - s > 1 && (sql.charAt(e - 1) == '+' || sql.charAt(e - 1) == '-')) {
          e--;
        }
      }
    }
    int kind = Tokens.OP;
    if (e - s == 1) {
      kind =
          switch (sql.charAt(s)) {
            case '+' -> Tokens.PLUS;
            case '-' -> Tokens.MINUS;
            case '*' -> Tokens.STAR;
            case '/' -> Tokens.SLASH;
            case '%' -> Tokens.PERCENT;
            case '^' -> Tokens.CARET;
            case '<' -> Tokens.LT;
            case '>' -> Tokens.GT;
            case '=' -> Tokens.EQ;
            default -> Tokens.OP;
          };
    } else if (e - s == 2) {
      char a = sql.charAt(s);
      char b = sql.charAt(s + 1);
      if (a == '<' && b == '=') {
        kind = Tokens.LE;
      } else if (a == '>' && b == '=') {
        kind = Tokens.GE;
      } else if (a == '<' && b == '>' || a == '!' && b == '=') {
        kind = Tokens.NE;
      } else if (a == '|' && b == '|') {
        kind = Tokens.CONCAT;
      } else if (a == '=' && b == '>') {
        kind = Tokens.EQUALS_GREATER;
      }
    }
    t.add(kind, s, e, null);
    return e;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isIdentStart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
  }

  static boolean isIdentCont(char c) {
    return isIdentStart(c) || isDigit(c) || c == '$';
  }

  private static boolean isOpChar(char c) {
    return switch (c) {
      case '+', '-', '*', '/', '<', '>', '=', '~', '!', '@', '#', '%', '^', '&', '|', '`', '?' ->
          true;
      default -> false;
    };
  }
}
