package org.walden.sql.parse;

import java.util.Arrays;

/**
 * The token stream of one query string: parallel arrays of kind, start and end offsets, and key
 * word, ending with an {@link #EOF} token. Token text is not copied; the parser takes substrings
 * only for the names and constants that end up in the tree.
 *
 * <p>Lifecycle: filled once by {@link Lexer#lex}, then read by one parser on one thread and
 * dropped.
 */
final class Tokens {

  // token kinds
  static final int EOF = 0;
  static final int IDENT = 1; // unquoted word; kw[] says whether it is a key word
  static final int QIDENT = 2; // "quoted identifier"
  static final int INTEGER = 3;
  static final int NUMERIC = 4;
  static final int STRING = 5; // '…'
  static final int ESTRING = 6; // E'…'
  static final int DSTRING = 7; // $tag$…$tag$
  static final int PARAM = 8; // $n
  static final int LPAREN = 9;
  static final int RPAREN = 10;
  static final int COMMA = 11;
  static final int SEMI = 12;
  static final int DOT = 13;
  static final int LBRACKET = 14;
  static final int RBRACKET = 15;
  static final int COLON = 16;
  static final int TYPECAST = 17; // ::
  static final int PLUS = 18;
  static final int MINUS = 19;
  static final int STAR = 20;
  static final int SLASH = 21;
  static final int PERCENT = 22;
  static final int CARET = 23;
  static final int LT = 24;
  static final int GT = 25;
  static final int EQ = 26;
  static final int LE = 27;
  static final int GE = 28;
  static final int NE = 29; // <> or !=
  static final int CONCAT = 30; // ||
  static final int OP = 31; // any other operator
  static final int EQUALS_GREATER = 32; // =>
  static final int COLON_EQUALS = 33; // :=

  final String sql;
  int count;
  int[] kind;
  int[] start;
  int[] end;
  Keyword[] kw;

  Tokens(String sql, int capacity) {
    this.sql = sql;
    kind = new int[capacity];
    start = new int[capacity];
    end = new int[capacity];
    kw = new Keyword[capacity];
  }

  void add(int k, int s, int e, Keyword w) {
    if (count == kind.length) {
      int n = count * 2;
      kind = Arrays.copyOf(kind, n);
      start = Arrays.copyOf(start, n);
      end = Arrays.copyOf(end, n);
      kw = Arrays.copyOf(kw, n);
    }
    kind[count] = k;
    start[count] = s;
    end[count] = e;
    kw[count] = w;
    count++;
  }

  /** The token's text exactly as written. */
  String text(int i) {
    return sql.substring(start[i], end[i]);
  }
}
