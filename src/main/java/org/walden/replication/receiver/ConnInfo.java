package org.walden.replication.receiver;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A libpq connection string, as {@code primary_conninfo} holds it: either {@code keyword=value}
 * pairs separated by white space, or a {@code postgresql://} URI.
 *
 * <p>Keyword/value syntax follows libpq's {@code conninfo_parse}: white space around {@code =} is
 * allowed; a value is either a run of non-white-space characters or a single-quoted string; in
 * both, a backslash takes the next character literally ({@code \'}, {@code \\}). A keyword libpq
 * does not know is rejected with libpq's message ({@code invalid connection option "x"}); a later
 * duplicate replaces an earlier one. Every libpq keyword is accepted, though only those the
 * walreceiver uses ({@link #host}, {@code hostaddr}, {@code port}, {@code user}, {@code password},
 * {@code passfile}, {@code application_name}, {@code sslmode}, {@code connect_timeout}, {@code
 * options}) have an effect.
 *
 * <p>{@link #toString} hides the password ({@code password=********}), as pg_stat_wal_receiver
 * shows conninfo; it is safe to log. Immutable.
 */
public final class ConnInfo {

  /** libpq 15's keywords ({@code PQconninfoOptions}), in libpq's order. */
  static final List<String> KEYWORDS =
      List.of(
          "service",
          "user",
          "password",
          "passfile",
          "channel_binding",
          "connect_timeout",
          "dbname",
          "host",
          "hostaddr",
          "port",
          "client_encoding",
          "options",
          "application_name",
          "fallback_application_name",
          "keepalives",
          "keepalives_idle",
          "keepalives_interval",
          "keepalives_count",
          "tcp_user_timeout",
          "sslmode",
          "sslcompression",
          "sslcert",
          "sslkey",
          "sslpassword",
          "sslrootcert",
          "sslcrl",
          "sslcrldir",
          "sslsni",
          "requirepeer",
          "ssl_min_protocol_version",
          "ssl_max_protocol_version",
          "gssencmode",
          "krbsrvname",
          "gsslib",
          "replication",
          "target_session_attrs");

  private static final Set<String> SSLMODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  private static final Set<String> CHANNEL_BINDING = Set.of("disable", "prefer", "require");

  private static final Set<String> TARGET_SESSION_ATTRS =
      Set.of("any", "read-write", "read-only", "primary", "standby", "prefer-standby");

  /** The masked form of a password in {@link #toString}, as PostgreSQL shows it. */
  public static final String PASSWORD_MASK = "********";

  private final Map<String, String> values;

  private ConnInfo(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * Parses a connection string.
   *
   * @throws IllegalArgumentException with libpq's message if it is malformed or names an unknown
   *     keyword
   */
  public static ConnInfo parse(String conninfo) {
    if (conninfo.startsWith("postgresql://") || conninfo.startsWith("postgres://")) {
      return parseUri(conninfo);
    }
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    int n = conninfo.length();
    while (true) {
      while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int nameStart = i;
      while (i < n && conninfo.charAt(i) != '=' && !Character.isWhitespace(conninfo.charAt(i))) {
        i++;
      }
      String name = conninfo.substring(nameStart, i);
      while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
        i++;
      }
      if (i >= n || conninfo.charAt(i) != '=') {
        throw new IllegalArgumentException(
            "missing \"=\" after \"" + name + "\" in connection info string");
      }
      i++; // '='
      while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
        i++;
      }
      StringBuilder value = new StringBuilder();
      if (i < n && conninfo.charAt(i) == '\'') {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = conninfo.charAt(i);
          if (c == '\\' && i + 1 < n) {
            value.append(conninfo.charAt(i + 1));
            i += 2;
          } else if (c == '\'') {
            i++;
            closed = true;
            break;
          } else {
            value.append(c);
            i++;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException(
              "unterminated quoted string in connection info string");
        }
      } else {
        while (i < n && !Character.isWhitespace(conninfo.charAt(i))) {
          char c = conninfo.charAt(i);
          if (c == '\\' && i + 1 < n) {
            value.append(conninfo.charAt(i + 1));
            i += 2;
          } else {
            value.append(c);
            i++;
          }
        }
      }
      put(out, name, value.toString());
    }
    return validated(out);
  }

  /**
   * {@code postgresql://[user[:password]@][host][:port][/dbname][?keyword=value&…]}, with
   * percent-decoding and an IPv6 host in brackets; one host.
   */
  private static ConnInfo parseUri(String uri) {
    Map<String, String> out = new LinkedHashMap<>();
    String rest = uri.substring(uri.indexOf("://") + 3);
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String authority = slash >= 0 ? rest.substring(0, slash) : rest;
    if (slash >= 0 && slash + 1 < rest.length()) {
      put(out, "dbname", decode(rest.substring(slash + 1), uri));
    }
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        put(out, "user", decode(userInfo.substring(0, colon), uri));
        put(out, "password", decode(userInfo.substring(colon + 1), uri));
      } else if (!userInfo.isEmpty()) {
        put(out, "user", decode(userInfo, uri));
      }
    }
    String host = authority;
    String port = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException(
            "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \""
                + uri
                + "\"");
      }
      host = authority.substring(1, close);
      if (close + 1 < authority.length() && authority.charAt(close + 1) == ':') {
        port = authority.substring(close + 2);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        host = authority.substring(0, colon);
        port = authority.substring(colon + 1);
      }
    }
    if (!host.isEmpty()) {
      put(out, "host", decode(host, uri));
    }
    if (port != null && !port.isEmpty()) {
      put(out, "port", decode(port, uri));
    }
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException(
              "missing key/value separator \"=\" in URI query parameter: \"" + pair + "\"");
        }
        String k = decode(pair.substring(0, eq), uri);
        if (k.equals("ssl") && decode(pair.substring(eq + 1), uri).equals("true")) {
          put(out, "sslmode", "require"); // libpq's JDBC-compatible alias
          continue;
        }
        put(out, k, decode(pair.substring(eq + 1), uri));
      }
    }
    return validated(out);
  }

  private static String decode(String s, String uri) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()
            || Character.digit(s.charAt(i + 1), 16) < 0
            || Character.digit(s.charAt(i + 2), 16) < 0) {
          throw new IllegalArgumentException("invalid percent-encoded token: \"" + s + "\"");
        }
        b.write(Integer.parseInt(s, i + 1, i + 3, 16));
        i += 2;
      } else {
        byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        b.write(enc, 0, enc.length);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static void put(Map<String, String> out, String name, String value) {
    if (!KEYWORDS.contains(name)) {
      throw new IllegalArgumentException("invalid connection option \"" + name + "\"");
    }
    out.put(name, value);
  }

  private static ConnInfo validated(Map<String, String> v) {
    String sslmode = v.get("sslmode");
    if (sslmode != null && !SSLMODES.contains(sslmode)) {
      throw new IllegalArgumentException("invalid sslmode value: \"" + sslmode + "\"");
    }
    String cb = v.get("channel_binding");
    if (cb != null && !CHANNEL_BINDING.contains(cb)) {
      throw new IllegalArgumentException("invalid channel_binding value: \"" + cb + "\"");
    }
    String tsa = v.get("target_session_attrs");
    if (tsa != null && !TARGET_SESSION_ATTRS.contains(tsa)) {
      throw new IllegalArgumentException("invalid target_session_attrs value: \"" + tsa + "\"");
    }
    for (String k : List.of("connect_timeout", "port")) {
      String s = v.get(k);
      if (s != null && !s.isEmpty()) {
        for (String part : s.split(",", -1)) {
          if (!part.strip().matches("-?[0-9]+")) {
            throw new IllegalArgumentException(
                "invalid integer value \"" + part + "\" for connection option \"" + k + "\"");
          }
        }
      }
    }
    return new ConnInfo(v);
  }

  /** The value given for {@code keyword}, if any (empty strings count as given). */
  public Optional<String> get(String keyword) {
    if (!KEYWORDS.contains(keyword)) {
      throw new IllegalArgumentException("invalid connection option \"" + keyword + "\"");
    }
    return Optional.ofNullable(values.get(keyword));
  }

  /** The value given for {@code keyword} if it is non-empty, as libpq treats empty as unset. */
  public Optional<String> nonEmpty(String keyword) {
    return get(keyword).filter(s -> !s.isEmpty());
  }

  /** The keywords given, in the order first given. */
  public Map<String, String> asMap() {
    return values;
  }

  /** A copy with {@code keyword} set to {@code value}. */
  public ConnInfo with(String keyword, String value) {
    Map<String, String> m = new LinkedHashMap<>(values);
    put(m, keyword, value);
    return validated(m);
  }

  /**
   * The hosts to try, in order: {@code host} (comma-separated list), else {@code hostaddr}, else
   * {@code localhost}. Walden has no Unix-domain socket client: libpq's default of a socket
   * directory becomes {@code localhost}.
   */
  public List<String> hosts() {
    return nonEmpty("host")
        .or(() -> nonEmpty("hostaddr"))
        .map(h -> List.of(h.split(",", -1)))
        .orElse(List.of("localhost"));
  }

  /** The port for the {@code i}-th host: one port for all, or one per host; default 5432. */
  public int port(int i) {
    Optional<String> p = nonEmpty("port");
    if (p.isEmpty()) {
      return 5432;
    }
    String[] ports = p.get().split(",", -1);
    String one = ports.length == 1 ? ports[0] : ports[i];
    return one.isBlank() ? 5432 : Integer.parseInt(one.strip());
  }

  /** {@code sslmode}, default {@code prefer}. */
  public String sslmode() {
    return nonEmpty("sslmode").orElse("prefer");
  }

  public String user() {
    return nonEmpty("user").orElseGet(() -> System.getProperty("user.name"));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      String v = e.getKey().equals("password") ? PASSWORD_MASK : e.getValue();
      sb.append(e.getKey()).append('=').append(quote(v));
    }
    return sb.toString();
  }

  /** A value as libpq would accept it back: bare if simple, else single-quoted with escapes. */
  static String quote(String v) {
    if (!v.isEmpty()
        && v.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '\\')) {
      return v;
    }
    return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnInfo c && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }
}
