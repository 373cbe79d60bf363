package org.walden.sql.parse;

/**
 * Turns a string constant token into its value: undoubles {@code ''} in standard strings, resolves
 * backslash escapes in {@code E'…'} strings ({@code \b \f \n \r \t}, octal {@code \ooo}, hex {@code
 * \xhh}, {@code \\uXXXX}, {@code \\UXXXXXXXX}; any other escaped character stands for itself), and
 * strips the tags of dollar-quoted strings. Plain strings without a doubled quote cost one
 * substring.
 */
final class StringDecoder {

  private StringDecoder() {}

  static String decode(Cursor c, int i) {
    Tokens t = c.t;
    String sql = t.sql;
    int s = t.start[i];
    int e = t.end[i];
    switch (t.kind[i]) {
      case Tokens.STRING -> {
        String inner = sql.substring(s + 1, e - 1);
        return inner.indexOf('\'') < 0 ? inner : inner.replace("''", "'");
      }
      case Tokens.DSTRING -> {
        int tagEnd = sql.indexOf('$', s + 1) + 1;
        int tagLen = tagEnd - s;
        return sql.substring(tagEnd, e - tagLen);
      }
      case Tokens.ESTRING -> {
        return escapes(c, i, s + 2, e - 1);
      }
      default -> throw c.syntaxErrorAt(i);
    }
  }

  private static String escapes(Cursor c, int token, int from, int to) {
    String sql = c.sql;
    StringBuilder b = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      char ch = sql.charAt(i);
      if (ch == '\'') { // a doubled quote
        b.append('\'');
        i += 2;
        continue;
      }
      if (ch != '\\') {
        b.append(ch);
        i++;
        continue;
      }
      char x = sql.charAt(i + 1); // the lexer guarantees a character after a backslash
      i += 2;
      switch (x) {
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'x' -> {
          int v = 0;
          int digits = 0;
          while (digits < 2 && i < to && Character.digit(sql.charAt(i), 16) >= 0) {
            v = v * 16 + Character.digit(sql.charAt(i), 16);
            i++;
            digits++;
          }
          if (digits == 0) {
            b.append('x');
          } else {
            b.append((char) v);
          }
        }
        case 'u', 'U' -> {
          int want = x == 'u' ? 4 : 8;
          long v = 0;
          for (int k = 0; k < want; k++) {
            int d = i < to ? Character.digit(sql.charAt(i), 16) : -1;
            if (d < 0) {
              throw badUnicode(c, token);
            }
            v = v * 16 + d;
            i++;
          }
          if (v == 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
            throw badUnicode(c, token);
          }
          b.appendCodePoint((int) v);
        }
        default -> {
          if (x >= '0' && x <= '7') {
            int v = x - '0';
            int digits = 1;
            while (digits < 3 && i < to && sql.charAt(i) >= '0' && sql.charAt(i) <= '7') {
              v = v * 8 + (sql.charAt(i) - '0');
              i++;
              digits++;
            }
            b.append((char) (v & 0xFF));
          } else {
            b.append(x);
          }
        }
      }
    }
    return b.toString();
  }

  private static SqlParseException badUnicode(Cursor c, int token) {
    return c.errorAt(token, SqlParseException.INVALID_ESCAPE_SEQUENCE, "invalid Unicode escape");
  }
}
