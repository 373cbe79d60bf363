package org.walden.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of one configuration-file line, by PostgreSQL's {@code guc-file.l} rules: at each
 * position the longest match wins, ties go to the earlier kind in {@link Kind}'s order, and a
 * character no rule matches is an {@link Kind#ERROR} token. White space is space, tab and CR;
 * {@code #} comments run to the end of the line. Stateless.
 */
final class ConfigLexer {

  /** Token kinds, in the lexer's rule order (which breaks ties between equal-length matches). */
  enum Kind {
    ID,
    QUALIFIED_ID,
    STRING,
    UNQUOTED_STRING,
    INTEGER,
    REAL,
    EQUALS,
    ERROR
  }

  record Token(Kind kind, String text) {}

  private ConfigLexer() {}

  static List<Token> tokenize(String line) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r') {
        i++;
        continue;
      }
      if (c == '#') {
        break;
      }
      int[] lengths = {
        id(line, i),
        qualifiedId(line, i),
        string(line, i),
        unquoted(line, i),
        integer(line, i),
        real(line, i),
        c == '=' ? 1 : 0
      };
      int best = -1;
      int bestLen = 0;
      for (int k = 0; k < lengths.length; k++) {
        if (lengths[k] > bestLen) {
          best = k;
          bestLen = lengths[k];
        }
      }
      if (best < 0) {
        tokens.add(new Token(Kind.ERROR, String.valueOf(c)));
        i++;
      } else {
        tokens.add(new Token(Kind.values()[best], line.substring(i, i + bestLen)));
        i += bestLen;
      }
    }
    return tokens;
  }

  private static boolean isLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetterOrDigit(char c) {
    return isLetter(c) || isDigit(c);
  }

  private static int id(String s, int i) {
    if (i >= s.length() || !isLetter(s.charAt(i))) {
      return 0;
    }
    int j = i + 1;
    while (j < s.length() && isLetterOrDigit(s.charAt(j))) {
      j++;
    }
    return j - i;
  }

  private static int qualifiedId(String s, int i) {
    int first = id(s, i);
    if (first == 0 || i + first >= s.length() || s.charAt(i + first) != '.') {
      return 0;
    }
    int second = id(s, i + first + 1);
    return second == 0 ? 0 : first + 1 + second;
  }

  /** {@code '([^'\\\n]|\\.|'')*'}, longest match: a doubled quote may also close the string. */
  private static int string(String s, int i) {
    if (s.charAt(i) != '\'') {
      return 0;
    }
    int lastEnd = 0;
    int j = i + 1;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\') {
        if (j + 1 >= s.length()) {
          break;
        }
        j += 2;
      } else if (c == '\'') {
        lastEnd = j + 1 - i;
        if (j + 1 < s.length() && s.charAt(j + 1) == '\'') {
          j += 2;
        } else {
          break;
        }
      } else {
        j++;
      }
    }
    return lastEnd;
  }

  private static int unquoted(String s, int i) {
    if (!isLetter(s.charAt(i))) {
      return 0;
    }
    int j = i + 1;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (!(isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == ':' || c == '/')) {
        break;
      }
      j++;
    }
    return j - i;
  }

  private static int unitLetters(String s, int j) {
    while (j < s.length()
        && ((s.charAt(j) >= 'a' && s.charAt(j) <= 'z')
            || (s.charAt(j) >= 'A' && s.charAt(j) <= 'Z'))) {
      j++;
    }
    return j;
  }

  /** {@code [-+]?([0-9]+|0x[0-9a-fA-F]+)[a-zA-Z]*}. */
  private static int integer(String s, int i) {
    int j = i;
    if (j < s.length() && (s.charAt(j) == '-' || s.charAt(j) == '+')) {
      j++;
    }
    int best = 0;
    int d = j;
    while (d < s.length() && isDigit(s.charAt(d))) {
      d++;
    }
    if (d > j) {
      best = unitLetters(s, d) - i;
    }
    if (j + 2 < s.length()
        && s.charAt(j) == '0'
        && s.charAt(j + 1) == 'x'
        && Character.digit(s.charAt(j + 2), 16) >= 0
        && s.charAt(j + 2) < 128) {
      int h = j + 2;
      while (h < s.length() && s.charAt(h) < 128 && Character.digit(s.charAt(h), 16) >= 0) {
        h++;
      }
      best = Math.max(best, unitLetters(s, h) - i);
    }
    return best;
  }

  /** {@code [-+]?[0-9]*\.[0-9]*([Ee][-+]?[0-9]+)?}. */
  private static int real(String s, int i) {
    int j = i;
    if (j < s.length() && (s.charAt(j) == '-' || s.charAt(j) == '+')) {
      j++;
    }
    while (j < s.length() && isDigit(s.charAt(j))) {
      j++;
    }
    if (j >= s.length() || s.charAt(j) != '.') {
      return 0;
    }
    j++;
    while (j < s.length() && isDigit(s.charAt(j))) {
      j++;
    }
    if (j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
      int e = j + 1;
      if (e < s.length() && (s.charAt(e) == '-' || s.charAt(e) == '+')) {
        e++;
      }
      int digits = e;
      while (e < s.length() && isDigit(s.charAt(e))) {
        e++;
      }
      if (e > digits) {
        j = e;
      }
    }
    return j - i;
  }

  /**
   * Strips the quotes of a string token and resolves its escapes: {@code ''} is one quote, {@code
   * \b \f \n \r \t} are control characters, {@code \ooo} (up to three octal digits) is that
   * character, and a backslash before anything else stands for that character.
   */
  static String deescape(String token) {
    StringBuilder sb = new StringBuilder(token.length());
    int end = token.length() - 1;
    for (int i = 1; i < end; i++) {
      char c = token.charAt(i);
      if (c == '\\' && i + 1 < end) {
        char e = token.charAt(++i);
        switch (e) {
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          default -> {
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int k = 0;
                  k < 2 && i + 1 < end && token.charAt(i + 1) >= '0' && token.charAt(i + 1) <= '7';
                  k++) {
                v = (v << 3) + (token.charAt(++i) - '0');
              }
              sb.append((char) (v & 0xFF));
            } else {
              sb.append(e);
            }
          }
        }
      } else if (c == '\'' && i + 1 < end && token.charAt(i + 1) == '\'') {
        sb.append('\'');
        i++;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
