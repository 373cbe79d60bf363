package org.walden.wire.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walden.wire.auth.HbaRule.Token;

/**
 * Parses pg_hba.conf-format text into {@link HbaRules}.
 *
 * <p>Syntax (PostgreSQL's): one rule per line; {@code #} starts a comment outside quotes; fields
 * are separated by whitespace; a field may be a comma-separated list; a double-quoted word ({@code
 * ""} is a literal quote) is never a keyword. Lines:
 *
 * <pre>
 * local      DATABASE USER METHOD [OPTIONS]
 * host*      DATABASE USER ADDRESS METHOD [OPTIONS]
 * </pre>
 *
 * DATABASE: names, {@code all}, {@code sameuser}, {@code replication}. USER: names, {@code all}.
 * ADDRESS: {@code a.b.c.d/n}, an IPv6 CIDR, an address followed by a mask column, {@code all},
 * {@code samehost}, {@code samenet}. METHOD: {@code trust reject md5 scram-sha-256 password}.
 *
 * <p>Not supported, and refused with an error naming the line rather than silently ignored: host
 * names in ADDRESS, {@code @file} inclusion, {@code +group} membership, {@code samerole}, and the
 * methods PostgreSQL has but Walden lacks (peer, ident, gss, ldap, cert …).
 *
 * <p>Stateless and thread-safe.
 */
public final class HbaParser {
  private HbaParser() {}

  public static HbaRules parse(String text, String fileName) throws HbaParseException {
    List<HbaRule> rules = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      List<List<Token>> fields = tokenize(lines[i], fileName, lineNo);
      if (!fields.isEmpty()) {
        rules.add(rule(fields, fileName, lineNo));
      }
    }
    return new HbaRules(rules);
  }

  private static List<List<Token>> tokenize(String line, String file, int lineNo)
      throws HbaParseException {
    List<List<Token>> fields = new ArrayList<>();
    List<Token> field = null;
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i >= n || line.charAt(i) == '#') {
        if (field != null) {
          throw new HbaParseException(file, lineNo, "missing entry after comma");
        }
        return fields;
      }
      StringBuilder sb = new StringBuilder();
      boolean quoted = false;
      while (i < n) {
        char c = line.charAt(i);
        if (c == '"') {
          quoted = true;
          i++;
          boolean closed = false;
          while (i < n) {
            char q = line.charAt(i++);
            if (q == '"') {
              if (i < n && line.charAt(i) == '"') {
                sb.append('"');
                i++;
              } else {
                closed = true;
                break;
              }
            } else {
              sb.append(q);
            }
          }
          if (!closed) {
            throw new HbaParseException(file, lineNo, "unterminated quoted string");
          }
        } else if (Character.isWhitespace(c) || c == ',' || c == '#') {
          break;
        } else {
          sb.append(c);
          i++;
        }
      }
      if (sb.isEmpty() && !quoted) {
        throw new HbaParseException(file, lineNo, "missing entry before comma");
      }
      if (field == null) {
        field = new ArrayList<>();
      }
      field.add(new Token(sb.toString(), quoted));
      if (i < n && line.charAt(i) == ',') {
        i++; // the list goes on; whitespace after the comma is allowed
      } else {
        fields.add(Collections.unmodifiableList(field));
        field = null;
      }
    }
  }

  private static HbaRule rule(List<List<Token>> fields, String file, int line)
      throws HbaParseException {
    int f = 0;
    String typeWord = single(fields.get(f++), "connection type", file, line);
    ConnectionType type = ConnectionType.fromKeyword(typeWord);
    if (type == null) {
      throw new HbaParseException(file, line, "invalid connection type \"" + typeWord + "\"");
    }
    if (f >= fields.size()) {
      throw new HbaParseException(file, line, "end-of-line before database specification");
    }
    List<Token> databases = fields.get(f++);
    for (Token t : databases) {
      if (!t.quoted() && t.text().startsWith("@")) {
        throw new HbaParseException(file, line, "file inclusion (\"@file\") is not supported");
      }
      if (t.isKeyword("samerole") || t.isKeyword("samegroup")) {
        throw new HbaParseException(
            file, line, "database keyword \"" + t.text() + "\" is not supported");
      }
    }
    if (f >= fields.size()) {
      throw new HbaParseException(file, line, "end-of-line before role specification");
    }
    List<Token> users = fields.get(f++);
    for (Token t : users) {
      if (!t.quoted() && (t.text().startsWith("+") || t.text().startsWith("@"))) {
        throw new HbaParseException(
            file, line, "role \"" + t.text() + "\": group membership and @file are not supported");
      }
    }
    AddressMatch address = null;
    if (type != ConnectionType.LOCAL) {
      if (f >= fields.size()) {
        throw new HbaParseException(file, line, "end-of-line before IP address specification");
      }
      String addr = single(fields.get(f++), "IP address", file, line);
      if (addr.equals("all")) {
        address = new AddressMatch.All();
      } else if (addr.equals("samehost")) {
        address = new AddressMatch.SameHost();
      } else if (addr.equals("samenet")) {
        address = new AddressMatch.SameNet();
      } else {
        int slash = addr.indexOf('/');
        if (slash >= 0) {
          InetAddress net = ipLiteral(addr.substring(0, slash), "IP address", file, line);
          int bits = net.getAddress().length * 8;
          int prefix;
          try {
            prefix = Integer.parseInt(addr.substring(slash + 1));
          } catch (NumberFormatException e) {
            prefix = -1;
          }
          if (prefix < 0 || prefix > bits) {
            throw new HbaParseException(
                file, line, "invalid CIDR mask in address \"" + addr + "\"");
          }
          address = AddressMatch.Cidr.of(net, prefix);
        } else {
          InetAddress net = ipLiteral(addr, "IP address", file, line);
          if (f >= fields.size()) {
            throw new HbaParseException(file, line, "end-of-line before netmask specification");
          }
          String maskWord = single(fields.get(f++), "netmask", file, line);
          InetAddress mask = ipLiteral(maskWord, "IP mask", file, line);
          if (mask.getAddress().length != net.getAddress().length) {
            throw new HbaParseException(file, line, "IP address and mask do not match");
          }
          address = new AddressMatch.Cidr(net.getAddress(), mask.getAddress());
        }
      }
    }
    if (f >= fields.size()) {
      throw new HbaParseException(file, line, "end-of-line before authentication method");
    }
    String methodWord = single(fields.get(f++), "authentication type", file, line);
    AuthMethod method = AuthMethod.fromKeyword(methodWord);
    if (method == null) {
      throw new HbaParseException(
          file, line, "invalid or unsupported authentication method \"" + methodWord + "\"");
    }
    Map<String, String> options = new LinkedHashMap<>();
    while (f < fields.size()) {
      for (Token t : fields.get(f++)) {
        int eq = t.text().indexOf('=');
        if (eq <= 0) {
          throw new HbaParseException(
              file, line, "authentication option not in name=value format: " + t.text());
        }
        options.put(t.text().substring(0, eq), t.text().substring(eq + 1));
      }
    }
    return new HbaRule(
        type, databases, users, address, method, Collections.unmodifiableMap(options), file, line);
  }

  private static String single(List<Token> field, String what, String file, int line)
      throws HbaParseException {
    if (field.size() != 1) {
      throw new HbaParseException(file, line, "multiple values specified for " + what);
    }
    return field.get(0).text();
  }

  private static InetAddress ipLiteral(String s, String what, String file, int line)
      throws HbaParseException {
    if (!looksLikeIpLiteral(s)) {
      throw new HbaParseException(
          file,
          line,
          "invalid " + what + " \"" + s + "\" (host names are not supported; use an address)");
    }
    try {
      // a literal: getByName parses it without any name lookup
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new HbaParseException(file, line, "invalid " + what + " \"" + s + "\"");
    }
  }

  private static boolean looksLikeIpLiteral(String s) {
    if (s.isEmpty()) {
      return false;
    }
    if (s.indexOf(':') >= 0) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
          return false;
        }
      }
      return true;
    }
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return dots == 3;
  }
}
