package org.walden.replication.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.walden.replication.command.ReplicationCommand.BaseBackup;
import org.walden.replication.command.ReplicationCommand.CreateReplicationSlot;
import org.walden.replication.command.ReplicationCommand.DropReplicationSlot;
import org.walden.replication.command.ReplicationCommand.GenericOption;
import org.walden.replication.command.ReplicationCommand.IdentifySystem;
import org.walden.replication.command.ReplicationCommand.Kind;
import org.walden.replication.command.ReplicationCommand.OptionValue;
import org.walden.replication.command.ReplicationCommand.ReadReplicationSlot;
import org.walden.replication.command.ReplicationCommand.Show;
import org.walden.replication.command.ReplicationCommand.StartReplication;
import org.walden.replication.command.ReplicationCommand.TimelineHistory;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * Parses one replication command as PostgreSQL 15's {@code repl_scanner.l} and {@code repl_gram.y}
 * do, by hand: a scanner producing tokens, then recursive descent over the grammar.
 *
 * <p><b>Scanner.</b> Keywords match case-sensitively and upper-case only ({@code show} is an
 * identifier). Identifiers {@code [A-Za-z_\x80-][A-Za-z0-9_$\x80-]*} are down-cased (ASCII only);
 * {@code "…"} keeps case ({@code ""} is a quote); {@code '…'} is a string ({@code ''} a quote);
 * digits are an unsigned 32-bit constant (as PostgreSQL's {@code strtoul} into a {@code uint32});
 * {@code hex/hex} is an LSN; any other character is itself. The longest match wins, keywords before
 * identifiers, as in flex.
 *
 * <p><b>Not a command.</b> If the first token is none of the eight command keywords the result is
 * empty (PostgreSQL's {@code replication_scanner_is_replication_command}): the caller then answers
 * 0A000 on a physical connection or runs SQL on a logical one. A scanner error in the first token
 * (an unterminated quote) is still an error, as in PostgreSQL.
 *
 * <p>Stateless and thread-safe; throws nothing but {@link ReplicationCommandException}.
 */
public final class ReplicationCommandParser {

  private static final Set<String> KEYWORDS =
      Set.of(
          "BASE_BACKUP",
          "IDENTIFY_SYSTEM",
          "READ_REPLICATION_SLOT",
          "SHOW",
          "TIMELINE",
          "START_REPLICATION",
          "CREATE_REPLICATION_SLOT",
          "DROP_REPLICATION_SLOT",
          "TIMELINE_HISTORY",
          "WAIT",
          "PHYSICAL",
          "LOGICAL",
          "SLOT",
          "RESERVE_WAL",
          "TEMPORARY",
          "TWO_PHASE",
          "EXPORT_SNAPSHOT",
          "NOEXPORT_SNAPSHOT",
          "USE_SNAPSHOT");

  private static final Set<String> COMMANDS =
      Set.of(
          "IDENTIFY_SYSTEM",
          "BASE_BACKUP",
          "START_REPLICATION",
          "CREATE_REPLICATION_SLOT",
          "DROP_REPLICATION_SLOT",
          "READ_REPLICATION_SLOT",
          "TIMELINE_HISTORY",
          "SHOW");

  private ReplicationCommandParser() {}

  /**
   * Parses {@code text}; empty if it is not a replication command at all.
   *
   * @throws ReplicationCommandException 42601 for a malformed command
   */
  public static Optional<ReplicationCommand> parse(String text) throws ReplicationCommandException {
    Scanner scanner = new Scanner(text);
    Token first = scanner.next();
    if (first.type != Type.KEYWORD || !COMMANDS.contains(first.text)) {
      return Optional.empty();
    }
    return Optional.of(new Grammar(scanner, first).command());
  }

  // ------------------------------------------------------------------------------ tokens

  private enum Type {
    KEYWORD,
    IDENT,
    SCONST,
    UCONST,
    RECPTR,
    CHAR,
    END
  }

  private record Token(Type type, String text, long number, Lsn lsn) {
    static Token of(Type type, String text) {
      return new Token(type, text, 0, null);
    }

    boolean isKeyword(String k) {
      return type == Type.KEYWORD && text.equals(k);
    }

    boolean isChar(char c) {
      return type == Type.CHAR && text.charAt(0) == c;
    }
  }

  private static final class Scanner {
    private final String s;
    private int pos;

    Scanner(String s) {
      this.s = s;
    }

    Token next() throws ReplicationCommandException {
      while (pos < s.length() && isSpace(s.charAt(pos))) {
        pos++;
      }
      if (pos >= s.length()) {
        return Token.of(Type.END, "");
      }
      char c = s.charAt(pos);
      if (c == '\'') {
        return quoted('\'', Type.SCONST);
      }
      if (c == '"') {
        return quoted('"', Type.IDENT);
      }
      int digits = run(pos, Scanner::isDigit);
      int recptr = recptrLength(pos);
      int ident = isIdentStart(c) ? run(pos + 1, Scanner::isIdentCont) + 1 : 0;
      int longest = Math.max(digits, Math.max(recptr, ident));
      if (longest == 0) {
        pos++;
        return Token.of(Type.CHAR, String.valueOf(c));
      }
      int start = pos;
      pos += longest;
      String word = s.substring(start, pos);
      if (longest == recptr) {
        return recptr(word);
      }
      if (longest == digits) {
        return new Token(Type.UCONST, word, uint32(word), null);
      }
      if (KEYWORDS.contains(word)) {
        return Token.of(Type.KEYWORD, word);
      }
      return Token.of(Type.IDENT, downcase(word));
    }

    private Token quoted(char quote, Type type) throws ReplicationCommandException {
      StringBuilder b = new StringBuilder();
      int i = pos + 1;
      while (true) {
        if (i >= s.length()) {
          pos = s.length();
          throw ReplicationCommandException.syntax("unterminated quoted string");
        }
        char c = s.charAt(i);
        if (c == quote) {
          if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
            b.append(quote);
            i += 2;
            continue;
          }
          pos = i + 1;
          return Token.of(type, b.toString());
        }
        b.append(c);
        i++;
      }
    }

    private int recptrLength(int from) {
      int hi = run(from, Scanner::isHex);
      if (hi == 0 || from + hi >= s.length() || s.charAt(from + hi) != '/') {
        return 0;
      }
      int lo = run(from + hi + 1, Scanner::isHex);
      return lo == 0 ? 0 : hi + 1 + lo;
    }

    private static Token recptr(String word) throws ReplicationCommandException {
      int slash = word.indexOf('/');
      if (slash > 8 || word.length() - slash - 1 > 8) {
        throw ReplicationCommandException.syntax("invalid streaming start location");
      }
      return new Token(Type.RECPTR, word, 0, Lsn.parse(word));
    }

    /** {@code strtoul} (saturating) stored into a {@code uint32}, as PostgreSQL's scanner does. */
    private static long uint32(String digits) {
      long v = 0;
      for (int i = 0; i < digits.length(); i++) {
        int d = digits.charAt(i) - '0';
        if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
          v = -1L; // ULONG_MAX
          break;
        }
        v = v * 10 + d;
      }
      return v & 0xFFFF_FFFFL;
    }

    private interface CharClass {
      boolean test(char c);
    }

    private int run(int from, CharClass cls) {
      int i = from;
      while (i < s.length() && cls.test(s.charAt(i))) {
        i++;
      }
      return i - from;
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
      return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isIdentStart(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentCont(char c) {
      return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static String downcase(String word) {
      StringBuilder b = new StringBuilder(word.length());
      for (int i = 0; i < word.length(); i++) {
        char c = word.charAt(i);
        b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
      }
      return b.toString();
    }
  }

  // ------------------------------------------------------------------------------ grammar

  private static final class Grammar {
    private final Scanner scanner;
    private Token look;

    Grammar(Scanner scanner, Token first) {
      this.scanner = scanner;
      this.look = first;
    }

    private Token advance() throws ReplicationCommandException {
      Token t = look;
      look = scanner.next();
      return t;
    }

    private static ReplicationCommandException syntaxError() {
      return ReplicationCommandException.syntax("syntax error");
    }

    private boolean acceptKeyword(String k) throws ReplicationCommandException {
      if (look.isKeyword(k)) {
        advance();
        return true;
      }
      return false;
    }

    private boolean acceptChar(char c) throws ReplicationCommandException {
      if (look.isChar(c)) {
        advance();
        return true;
      }
      return false;
    }

    private void expectChar(char c) throws ReplicationCommandException {
      if (!acceptChar(c)) {
        throw syntaxError();
      }
    }

    private String ident() throws ReplicationCommandException {
      if (look.type != Type.IDENT) {
        throw syntaxError();
      }
      return advance().text;
    }

    private Lsn recptr() throws ReplicationCommandException {
      if (look.type != Type.RECPTR) {
        throw syntaxError();
      }
      return advance().lsn;
    }

    private long uconst() throws ReplicationCommandException {
      if (look.type != Type.UCONST) {
        throw syntaxError();
      }
      return advance().number;
    }

    /** {@code firstcmd: command opt_semicolon}. */
    ReplicationCommand command() throws ReplicationCommandException {
      String keyword = advance().text;
      ReplicationCommand c =
          switch (keyword) {
            case "IDENTIFY_SYSTEM" -> new IdentifySystem();
            case "SHOW" -> new Show(varName());
            case "TIMELINE_HISTORY" -> new TimelineHistory(timeline(uconst()));
            case "READ_REPLICATION_SLOT" -> new ReadReplicationSlot(ident());
            case "DROP_REPLICATION_SLOT" -> new DropReplicationSlot(ident(), acceptKeyword("WAIT"));
            case "BASE_BACKUP" -> baseBackup();
            case "CREATE_REPLICATION_SLOT" -> createSlot();
            case "START_REPLICATION" -> startReplication();
            default -> throw new IllegalStateException("not a command keyword: " + keyword);
          };
      acceptChar(';');
      if (look.type != Type.END) {
        throw syntaxError();
      }
      return c;
    }

    /** {@code var_name: IDENT | var_name '.' IDENT}. */
    private String varName() throws ReplicationCommandException {
      StringBuilder b = new StringBuilder(ident());
      while (acceptChar('.')) {
        b.append('.').append(ident());
      }
      return b.toString();
    }

    private static TimelineId timeline(long value) throws ReplicationCommandException {
      // PostgreSQL takes any uint32 above 0; TimelineId holds the positive int range
      if (value <= 0 || value > Integer.MAX_VALUE) {
        throw ReplicationCommandException.syntax("invalid timeline " + value);
      }
      return new TimelineId((int) value);
    }

    private BaseBackup baseBackup() throws ReplicationCommandException {
      if (acceptChar('(')) {
        List<GenericOption> options = genericOptions();
        expectChar(')');
        return new BaseBackup(options);
      }
      return new BaseBackup(List.of());
    }

    /** {@code generic_option_list: generic_option [, generic_option]*}. */
    private List<GenericOption> genericOptions() throws ReplicationCommandException {
      List<GenericOption> out = new ArrayList<>();
      do {
        String name;
        if (look.type == Type.IDENT) {
          name = advance().text;
        } else if (look.type == Type.KEYWORD) {
          name = advance().text.toLowerCase(Locale.ROOT); // ident_or_keyword
        } else {
          throw syntaxError();
        }
        Optional<OptionValue> value =
            switch (look.type) {
              case IDENT, SCONST -> Optional.of(new OptionValue.Text(advance().text));
              case UCONST -> Optional.of(new OptionValue.Number(advance().number));
              default -> Optional.empty();
            };
        out.add(new GenericOption(name, value));
      } while (acceptChar(','));
      return out;
    }

    private CreateReplicationSlot createSlot() throws ReplicationCommandException {
      String name = ident();
      boolean temporary = acceptKeyword("TEMPORARY");
      Kind kind;
      Optional<String> plugin = Optional.empty();
      if (acceptKeyword("PHYSICAL")) {
        kind = Kind.PHYSICAL;
      } else if (acceptKeyword("LOGICAL")) {
        kind = Kind.LOGICAL;
        plugin = Optional.of(ident());
      } else {
        throw syntaxError();
      }
      List<GenericOption> options;
      if (acceptChar('(')) {
        options = genericOptions();
        expectChar(')');
      } else {
        options = legacySlotOptions();
      }
      return new CreateReplicationSlot(name, temporary, kind, plugin, options);
    }

    /** {@code create_slot_legacy_opt_list}, as the grammar turns each into a generic option. */
    private List<GenericOption> legacySlotOptions() throws ReplicationCommandException {
      List<GenericOption> out = new ArrayList<>();
      while (look.type == Type.KEYWORD) {
        GenericOption o =
            switch (look.text) {
              case "EXPORT_SNAPSHOT" -> text("snapshot", "export");
              case "NOEXPORT_SNAPSHOT" -> text("snapshot", "nothing");
              case "USE_SNAPSHOT" -> text("snapshot", "use");
              case "RESERVE_WAL" -> text("reserve_wal", "true");
              case "TWO_PHASE" -> text("two_phase", "true");
              default -> null;
            };
        if (o == null) {
          break;
        }
        advance();
        out.add(o);
      }
      return out;
    }

    private static GenericOption text(String name, String value) {
      return new GenericOption(name, Optional.of(new OptionValue.Text(value)));
    }

    private StartReplication startReplication() throws ReplicationCommandException {
      Optional<String> slot = Optional.empty();
      if (acceptKeyword("SLOT")) {
        slot = Optional.of(ident());
      }
      if (slot.isPresent() && acceptKeyword("LOGICAL")) {
        Lsn start = recptr();
        List<GenericOption> options = List.of();
        if (acceptChar('(')) {
          options = pluginOptions();
          expectChar(')');
        }
        return new StartReplication(slot, Kind.LOGICAL, start, Optional.empty(), options);
      }
      acceptKeyword("PHYSICAL");
      Lsn start = recptr();
      Optional<TimelineId> tli = Optional.empty();
      if (acceptKeyword("TIMELINE")) {
        tli = Optional.of(timeline(uconst()));
      }
      return new StartReplication(slot, Kind.PHYSICAL, start, tli, List.of());
    }

    /** {@code plugin_opt_list: IDENT [SCONST] [, IDENT [SCONST]]*}. */
    private List<GenericOption> pluginOptions() throws ReplicationCommandException {
      List<GenericOption> out = new ArrayList<>();
      do {
        String name = ident();
        Optional<OptionValue> value = Optional.empty();
        if (look.type == Type.SCONST) {
          value = Optional.of(new OptionValue.Text(advance().text));
        }
        out.add(new GenericOption(name, value));
      } while (acceptChar(','));
      return out;
    }
  }
}
