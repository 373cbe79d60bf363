package org.walden.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code synchronous_standby_names} (PostgreSQL's {@code SyncRepConfigData}, from {@code
 * syncrep_gram.y} and {@code syncrep_scanner.l}). It lives in the config layer because the
 * setting's check hook must reject a bad value at reload, before anything else sees it; the
 * replication layer ({@code org.walden.replication.syncrep}) uses the parsed value.
 *
 * <p>Grammar: {@code standby_list} (= {@code FIRST 1 (list)}), {@code NUM (list)} (= {@code FIRST
 * NUM}), {@code FIRST NUM (list)}, {@code ANY NUM (list)}. A name is an identifier ({@code
 * [A-Za-z\200-\377_][A-Za-z\200-\377_0-9$]*}), a digit string, a double-quoted string ({@code ""}
 * inside is one quote) or {@code *}. {@code FIRST} and {@code ANY} are keywords in any case, so a
 * standby called "first" must be quoted. An empty value means no synchronous replication ({@link
 * #NONE}). Immutable.
 *
 * @param method how the synchronous standbys are chosen
 * @param numSync how many must confirm (≥ 1 for a parsed value; 0 only for {@link #NONE})
 * @param names the listed names in order ({@code *} matches every application_name)
 */
public record SyncStandbyNames(Method method, int numSync, List<String> names) {

  /** PostgreSQL's {@code SYNC_REP_PRIORITY} and {@code SYNC_REP_QUORUM}. */
  public enum Method {
    /** {@code FIRST n}: the n connected standbys earliest in the list. */
    PRIORITY,
    /** {@code ANY n}: any n of the listed standbys. */
    QUORUM
  }

  /** The empty setting: commits never wait for standbys. */
  public static final SyncStandbyNames NONE = new SyncStandbyNames(Method.PRIORITY, 0, List.of());

  public SyncStandbyNames {
    names = List.copyOf(names);
  }

  /** Whether synchronous replication is configured (PostgreSQL's {@code SyncStandbysDefined}). */
  public boolean isDefined() {
    return numSync > 0;
  }

  /**
   * The standby priority of a walsender with this {@code application_name} (PostgreSQL's {@code
   * SyncRepGetStandbyPriority}): 0 = not a synchronous candidate; with FIRST the 1-based position
   * of the first matching entry, with ANY always 1. Matching ignores case; {@code *} matches all.
   */
  public int priorityOf(String applicationName) {
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n.equals("*") || n.equalsIgnoreCase(applicationName)) {
        return method == Method.PRIORITY ? i + 1 : 1;
      }
    }
    return 0;
  }

  /**
   * Parses a value with PostgreSQL's grammar.
   *
   * @throws ConfigException 42601 {@code invalid value for parameter "synchronous_standby_names"}
   *     with DETAIL {@code syntax error at or near "x"} (or {@code at end of input}); 22023 {@code
   *     number of synchronous standbys (0) must be greater than zero}
   */
  public static SyncStandbyNames parse(String name, String value) throws ConfigException {
    Lexer lx = new Lexer(value);
    Token t = lx.next(name, value);
    if (t.kind == Kind.END) {
      return NONE; // only whitespace: PostgreSQL's check hook parses nothing for ''
    }
    Method method = Method.PRIORITY;
    int num = 1;
    List<String> list;
    if (t.kind == Kind.FIRST || t.kind == Kind.ANY) {
      method = t.kind == Kind.ANY ? Method.QUORUM : Method.PRIORITY;
      Token n = lx.next(name, value);
      if (n.kind != Kind.NUM) {
        throw syntax(name, value, n);
      }
      num = number(n.text);
      expect(lx, Kind.LPAREN, name, value);
      list = list(lx, name, value, Kind.RPAREN);
      expectEnd(lx, name, value);
    } else if (t.kind == Kind.NUM) {
      Token after = lx.next(name, value);
      if (after.kind == Kind.LPAREN) {
        num = number(t.text);
        list = list(lx, name, value, Kind.RPAREN);
        expectEnd(lx, name, value);
      } else {
        list = new ArrayList<>();
        list.add(t.text);
        list.addAll(rest(lx, name, value, after));
      }
    } else if (t.kind == Kind.NAME) {
      list = new ArrayList<>();
      list.add(t.text);
      list.addAll(rest(lx, name, value, lx.next(name, value)));
    } else {
      throw syntax(name, value, t);
    }
    if (num <= 0) {
      throw new ConfigException(
          ConfigException.INVALID_PARAMETER_VALUE,
          "number of synchronous standbys (" + num + ") must be greater than zero",
          null,
          null);
    }
    return new SyncStandbyNames(method, num, list);
  }

  /** The rest of a bare list after its first name: {@code (, name)* END}. */
  private static List<String> rest(Lexer lx, String name, String value, Token t)
      throws ConfigException {
    List<String> out = new ArrayList<>();
    while (t.kind == Kind.COMMA) {
      Token n = lx.next(name, value);
      if (n.kind != Kind.NAME && n.kind != Kind.NUM) {
        throw syntax(name, value, n);
      }
      out.add(n.text);
      t = lx.next(name, value);
    }
    if (t.kind != Kind.END) {
      throw syntax(name, value, t);
    }
    return out;
  }

  private static List<String> list(Lexer lx, String name, String value, Kind close)
      throws ConfigException {
    List<String> out = new ArrayList<>();
    while (true) {
      Token n = lx.next(name, value);
      if (n.kind != Kind.NAME && n.kind != Kind.NUM) {
        throw syntax(name, value, n);
      }
      out.add(n.text);
      Token sep = lx.next(name, value);
      if (sep.kind == close) {
        return out;
      }
      if (sep.kind != Kind.COMMA) {
        throw syntax(name, value, sep);
      }
    }
  }

  private static void expect(Lexer lx, Kind k, String name, String value) throws ConfigException {
    Token t = lx.next(name, value);
    if (t.kind != k) {
      throw syntax(name, value, t);
    }
  }

  private static void expectEnd(Lexer lx, String name, String value) throws ConfigException {
    expect(lx, Kind.END, name, value);
  }

  /** atoi as the grammar does it; a value beyond int saturates (it is a count, never that big). */
  private static int number(String digits) {
    long v = 0;
    for (int i = 0; i < digits.length() && v <= Integer.MAX_VALUE; i++) {
      v = v * 10 + (digits.charAt(i) - '0');
    }
    return (int) Math.min(v, Integer.MAX_VALUE);
  }

  private static ConfigException syntax(String name, String value, Token at) {
    String detail =
        at.kind == Kind.END
            ? "syntax error at end of input"
            : "syntax error at or near \"" + at.raw + "\"";
    return invalid(name, value, detail);
  }

  private static ConfigException invalid(String name, String value, String detail) {
    return new ConfigException(
        ConfigException.SYNTAX_ERROR,
        "invalid value for parameter \"" + name + "\": \"" + value + "\"",
        detail,
        null);
  }

  // ------------------------------------------------------------------------------ scanner

  private enum Kind {
    NAME,
    NUM,
    FIRST,
    ANY,
    COMMA,
    LPAREN,
    RPAREN,
    JUNK,
    END
  }

  /** {@code text}: the name's value; {@code raw}: what the input said (error messages). */
  private record Token(Kind kind, String text, String raw) {}

  private static final class Lexer {
    private final String s;
    private int pos;

    Lexer(String s) {
      this.s = s;
    }

    Token next(String name, String value) throws ConfigException {
      while (pos < s.length() && isSpace(s.charAt(pos))) {
        pos++;
      }
      if (pos >= s.length()) {
        return new Token(Kind.END, "", "");
      }
      char c = s.charAt(pos);
      int start = pos;
      if (c >= '0' && c <= '9') {
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
          pos++;
        }
        String d = s.substring(start, pos);
        return new Token(Kind.NUM, d, d);
      }
      if (isIdentStart(c)) {
        pos++;
        while (pos < s.length() && isIdentCont(s.charAt(pos))) {
          pos++;
        }
        String id = s.substring(start, pos);
        String lower = id.toLowerCase(Locale.ROOT);
        if (lower.equals("first")) {
          return new Token(Kind.FIRST, id, id);
        }
        if (lower.equals("any")) {
          return new Token(Kind.ANY, id, id);
        }
        return new Token(Kind.NAME, id, id);
      }
      if (c == '"') {
        StringBuilder b = new StringBuilder();
        pos++;
        while (true) {
          if (pos >= s.length()) {
            throw invalid(name, value, "unterminated quoted identifier");
          }
          char q = s.charAt(pos++);
          if (q == '"') {
            if (pos < s.length() && s.charAt(pos) == '"') {
              b.append('"');
              pos++;
            } else {
              break;
            }
          } else {
            b.append(q);
          }
        }
        return new Token(Kind.NAME, b.toString(), s.substring(start, pos));
      }
      pos++;
      String one = String.valueOf(c);
      return switch (c) {
        case '*' -> new Token(Kind.NAME, "*", one);
        case ',' -> new Token(Kind.COMMA, one, one);
        case '(' -> new Token(Kind.LPAREN, one, one);
        case ')' -> new Token(Kind.RPAREN, one, one);
        default -> new Token(Kind.JUNK, one, one);
      };
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isIdentStart(char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentCont(char c) {
      return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$';
    }
  }
}
