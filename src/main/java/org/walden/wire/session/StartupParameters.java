package org.walden.wire.session;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.SqlState;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;
import org.walden.wire.codec.StartupPacket.StartupMessage;

/**
 * A StartupMessage's parameters, interpreted as PostgreSQL does: {@code user} (required), {@code
 * database} (defaults to the user), {@code application_name}, {@code replication} ({@code
 * true/on/yes/1}, {@code database}, {@code false/off/no/0}), {@code options} (command-line style
 * {@code -c name=value} / {@code --name=value}), and every other parameter as a setting.
 *
 * <p>Walden speaks UTF-8 only: {@code client_encoding} must name UTF8 (or SQL_ASCII, which psql
 * picks in a C locale and which is a subset); anything else is refused at startup rather than
 * answered with wrongly encoded text.
 */
record StartupParameters(
    String user,
    String database,
    String applicationName,
    ReplicationMode replication,
    Map<String, String> settings) {

  static StartupParameters of(StartupMessage m) {
    Map<String, String> p = m.parameters();
    String user = p.get("user");
    if (user == null || user.isEmpty()) {
      throw fatal(
          SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
          "no PostgreSQL user name specified in startup packet");
    }
    String database = p.getOrDefault("database", "");
    if (database.isEmpty()) {
      database = user;
    }
    ReplicationMode replication = replication(p.get("replication"));
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : p.entrySet()) {
      switch (e.getKey()) {
        case "user", "database", "replication", "options" -> {}
        default -> {
          if (!e.getKey().startsWith("_pq_.")) {
            settings.put(e.getKey(), e.getValue());
          }
        }
      }
    }
    String options = p.get("options");
    if (options != null) {
      parseOptions(options, settings);
    }
    String encoding = settings.get("client_encoding");
    if (encoding != null) {
      settings.put("client_encoding", clientEncoding(encoding));
    }
    String app = settings.getOrDefault("application_name", "");
    return new StartupParameters(user, database, app, replication, settings);
  }

  private static ReplicationMode replication(String value) {
    if (value == null) {
      return ReplicationMode.NONE;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes", "1" -> ReplicationMode.PHYSICAL;
      case "false", "off", "no", "0" -> ReplicationMode.NONE;
      case "database" -> ReplicationMode.LOGICAL;
      default ->
          throw new PgException(
              PgError.fatal(
                      SqlState.INVALID_PARAMETER_VALUE,
                      "invalid value for parameter \"replication\": \"" + value + "\"")
                  .withHint("Valid values are: \"false\", 0, \"true\", 1, \"database\"."));
    };
  }

  /** Command-line options: whitespace-separated, backslash escapes the next character. */
  private static void parseOptions(String options, Map<String, String> into) {
    java.util.List<String> words = new java.util.ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < options.length(); i++) {
      char c = options.charAt(i);
      if (c == '\\' && i + 1 < options.length()) {
        w.append(options.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      String assignment;
      if (word.equals("-c") && i + 1 < words.size()) {
        assignment = words.get(++i);
      } else if (word.startsWith("-c") && word.length() > 2) {
        assignment = word.substring(2);
      } else if (word.startsWith("--") && word.length() > 2) {
        assignment = word.substring(2);
      } else {
        throw fatal(
            SqlState.PROTOCOL_VIOLATION,
            "invalid command-line argument for server process: " + word);
      }
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw fatal(
            SqlState.PROTOCOL_VIOLATION,
            "invalid command-line argument for server process: " + word);
      }
      into.put(assignment.substring(0, eq).replace('-', '_'), assignment.substring(eq + 1));
    }
  }

  private static String clientEncoding(String value) {
    String norm = value.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    return switch (norm) {
      case "UTF8", "UNICODE", "AUTO" -> "UTF8";
      case "SQLASCII" -> "SQL_ASCII";
      default ->
          throw fatal(
              SqlState.FEATURE_NOT_SUPPORTED,
              "conversion between UTF8 and " + value + " is not supported");
    };
  }

  private static PgException fatal(String state, String message) {
    return new PgException(PgError.fatal(state, message));
  }
}
