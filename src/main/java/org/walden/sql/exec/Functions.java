package org.walden.sql.exec;

import java.math.BigDecimal;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import org.walden.sql.parse.ast.Expr;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.TypeKind;

/**
 * The scalar functions and SQL value functions ({@code CURRENT_TIMESTAMP}, {@code current_user},
 * …). Time functions return the transaction's start time, as PostgreSQL's {@code now()} does.
 * Session facts (user, database, settings) come from the {@link SqlSession}. Stateless.
 */
final class Functions {
  private Functions() {}

  static final String VERSION =
      "PostgreSQL 15.4 (Walden 0.1) on x86_64-pc-linux-gnu, compiled by javac, 64-bit";

  static SqlException undefined(String name, List<Compiled> args) {
    String sig = name;
    if (args != null) {
      StringJoiner j = new StringJoiner(", ", "(", ")");
      for (Compiled a : args) {
        j.add(a.unknown() ? "unknown" : SqlTypes.displayName(a.type()));
      }
      sig = name + j;
    }
    return new SqlException(
        "42883",
        "function " + sig + " does not exist",
        null,
        "No function matches the given name and argument types. You might need to add explicit"
            + " type casts.",
        0);
  }

  /** The type to give untyped arguments of function {@code name}. */
  static ColumnType argHint(String name, ColumnType hint) {
    return switch (name) {
      case "coalesce", "nullif", "greatest", "least" -> hint;
      case "abs" -> null;
      case "generate_series" -> ColumnType.INTEGER;
      case "length",
          "char_length",
          "character_length",
          "octet_length",
          "lower",
          "upper",
          "current_setting",
          "set_config" ->
          ColumnType.TEXT;
      case "pg_wal_lsn_diff", "pg_walfile_name", "pg_walfile_name_offset" -> ColumnType.PG_LSN;
      default -> null;
    };
  }

  static Compiled compile(String schema, String name, List<Compiled> args, ColumnType hint) {
    if (schema != null && !schema.equals("pg_catalog")) {
      throw undefined(schema + "." + name, args);
    }
    int n = args.size();
    switch (name) {
      case "now", "transaction_timestamp", "statement_timestamp", "clock_timestamp" -> {
        arity(name, args, 0);
        return Compiled.of(c -> c.txn.startTime(), ColumnType.TIMESTAMPTZ, name, false);
      }
      case "length", "char_length", "character_length", "octet_length" -> {
        arity(name, args, 1);
        Compiled a = args.get(0);
        boolean octets = name.equals("octet_length");
        if (a.type().kind() == TypeKind.BYTEA) {
          Eval e = a.eval();
          return Compiled.of(
              c -> {
                Object v = e.eval(c);
                return v == null ? null : ((byte[]) v).length;
              },
              ColumnType.INTEGER,
              name,
              a.constant());
        }
        requireText(name, args, a);
        Eval e = a.eval();
        boolean bpchar = a.type().kind() == TypeKind.BPCHAR;
        return Compiled.of(
            c -> {
              Object v = e.eval(c);
              if (v == null) {
                return null;
              }
              String s = (String) v;
              if (bpchar) {
                s = s.stripTrailing();
              }
              return octets
                  ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                  : s.codePointCount(0, s.length());
            },
            ColumnType.INTEGER,
            name,
            a.constant());
      }
      case "lower", "upper" -> {
        arity(name, args, 1);
        Compiled a = args.get(0);
        requireText(name, args, a);
        Eval e = a.eval();
        boolean lower = name.equals("lower");
        return Compiled.of(
            c -> {
              Object v = e.eval(c);
              if (v == null) {
                return null;
              }
              return lower
                  ? ((String) v).toLowerCase(java.util.Locale.ROOT)
                  : ((String) v).toUpperCase(java.util.Locale.ROOT);
            },
            ColumnType.TEXT,
            name,
            a.constant());
      }
      case "coalesce", "greatest", "least" -> {
        if (n == 0) {
          throw Errors.syntax("syntax error at or near \")\"");
        }
        ColumnType t = null;
        for (Compiled a : args) {
          if (!a.unknown()) {
            t =
                t == null || SqlTypes.numericRank(a.type()) > SqlTypes.numericRank(t)
                    ? a.type()
                    : t;
          }
        }
        final ColumnType type = t == null ? (hint != null ? hint : ColumnType.TEXT) : t;
        Eval[] es = new Eval[n];
        ColumnType[] ts = new ColumnType[n];
        for (int i = 0; i < n; i++) {
          Compiled a = args.get(i);
          if (!a.unknown() && !SqlTypes.comparable(a.type(), type)) {
            throw Errors.datatypeMismatch(
                name.toUpperCase(java.util.Locale.ROOT)
                    + " types "
                    + type.kind().pgName()
                    + " and "
                    + a.type().kind().pgName()
                    + " cannot be matched");
          }
          es[i] = a.eval();
          ts[i] = a.unknown() ? ColumnType.TEXT : a.type();
        }
        int mode = name.equals("coalesce") ? 0 : name.equals("greatest") ? 1 : -1;
        return Compiled.of(
            c -> {
              Object best = null;
              for (int i = 0; i < n; i++) {
                Object v = es[i].eval(c);
                if (v == null) {
                  continue;
                }
                if (!ts[i].equals(type)) {
                  v = Ops.cast(v, ts[i], type);
                }
                if (mode == 0) {
                  return v;
                }
                if (best == null || Ops.compare(v, best) * mode > 0) {
                  best = v;
                }
              }
              return best;
            },
            type,
            name,
            args.stream().allMatch(Compiled::constant));
      }
      case "nullif" -> {
        arity(name, args, 2);
        Eval a = args.get(0).eval();
        Eval b = args.get(1).eval();
        return Compiled.of(
            c -> {
              Object x = a.eval(c);
              Object y = b.eval(c);
              return x != null && y != null && Ops.compare(x, y) == 0 ? null : x;
            },
            args.get(0).type(),
            name,
            false);
      }
      case "abs" -> {
        arity(name, args, 1);
        Compiled a = args.get(0);
        ColumnType t = a.unknown() ? ColumnType.FLOAT8 : a.type();
        if (!SqlTypes.isNumeric(t)) {
          throw undefined(name, args);
        }
        Eval e = a.eval();
        return Compiled.of(
            c -> {
              Object v = e.eval(c);
              if (v == null) {
                return null;
              }
              boolean neg =
                  v instanceof BigDecimal d ? d.signum() < 0 : ((Number) v).doubleValue() < 0;
              return neg ? Ops.negate(v, t) : v;
            },
            t,
            name,
            a.constant());
      }
      case "random" -> {
        arity(name, args, 0);
        return Compiled.of(
            c -> ThreadLocalRandom.current().nextDouble(), ColumnType.FLOAT8, name, false);
      }
      case "version" -> {
        arity(name, args, 0);
        return Compiled.of(c -> VERSION, ColumnType.TEXT, name, true);
      }
      case "current_setting" -> {
        if (n < 1 || n > 2) {
          throw undefined(name, args);
        }
        Eval e = args.get(0).eval();
        Eval missingOk = n == 2 ? args.get(1).eval() : null;
        return Compiled.of(
            c -> {
              Object v = e.eval(c);
              if (v == null) {
                return null;
              }
              String s = c.session.setting(((String) v).toLowerCase(java.util.Locale.ROOT));
              if (s == null && (missingOk == null || !Logic.isTrue(missingOk.eval(c)))) {
                throw new SqlException(
                    "42704", "unrecognized configuration parameter \"" + v + "\"");
              }
              return s;
            },
            ColumnType.TEXT,
            name,
            false);
      }
      case "set_config" -> {
        arity(name, args, 3);
        Eval k = args.get(0).eval();
        Eval v = args.get(1).eval();
        Eval local = args.get(2).eval();
        return Compiled.of(
            c -> {
              Object key = k.eval(c);
              if (key == null) {
                throw new SqlException("22004", "SET requires parameter name");
              }
              Object value = v.eval(c);
              return c.session.setSetting(
                  ((String) key).toLowerCase(java.util.Locale.ROOT),
                  value == null ? "" : value.toString(),
                  Logic.isTrue(local.eval(c)));
            },
            ColumnType.TEXT,
            name,
            false);
      }
      case "current_user", "session_user", "user", "current_role" -> {
        arity(name, args, 0);
        return Compiled.of(c -> c.session.user(), ColumnType.TEXT, name, true);
      }
      case "current_database", "current_catalog" -> {
        arity(name, args, 0);
        return Compiled.of(c -> c.session.database(), ColumnType.TEXT, name, true);
      }
      case "current_schema" -> {
        arity(name, args, 0);
        return Compiled.of(c -> "public", ColumnType.TEXT, name, true);
      }
      case "pg_backend_pid" -> {
        arity(name, args, 0);
        return Compiled.of(c -> c.session.backendPid(), ColumnType.INTEGER, name, true);
      }
      case "pg_is_in_recovery" -> {
        arity(name, args, 0);
        return Compiled.of(c -> c.session.store().isInRecovery(), ColumnType.BOOLEAN, name, false);
      }
      case "pg_current_wal_lsn", "pg_current_wal_flush_lsn", "pg_current_wal_insert_lsn" -> {
        arity(name, args, 0);
        return Compiled.of(
            c -> WalFunctions.current(c.session, name), ColumnType.PG_LSN, name, false);
      }
      case "pg_last_wal_receive_lsn" -> {
        arity(name, args, 0);
        return Compiled.of(
            c -> WalFunctions.orNull(c.session.serverStatus().lastReceiveLsn()),
            ColumnType.PG_LSN,
            name,
            false);
      }
      case "pg_last_wal_replay_lsn" -> {
        arity(name, args, 0);
        return Compiled.of(
            c -> WalFunctions.orNull(c.session.serverStatus().lastReplayLsn()),
            ColumnType.PG_LSN,
            name,
            false);
      }
      case "pg_last_xact_replay_timestamp" -> {
        arity(name, args, 0);
        return Compiled.of(
            c ->
                c.session
                    .serverStatus()
                    .lastReplayedCommitTime()
                    .map(org.walden.storage.type.PgTimestamp::of)
                    .orElse(null),
            ColumnType.TIMESTAMPTZ,
            name,
            false);
      }
      case "pg_is_wal_replay_paused" -> {
        arity(name, args, 0);
        return Compiled.of(
            c -> WalFunctions.replayPaused(c.session), ColumnType.BOOLEAN, name, false);
      }
      case "pg_get_wal_replay_pause_state" -> {
        arity(name, args, 0);
        return Compiled.of(
            c -> WalFunctions.replayPauseState(c.session), ColumnType.TEXT, name, false);
      }
      case "pg_wal_replay_pause", "pg_wal_replay_resume" -> {
        arity(name, args, 0);
        return Compiled.of(
            c -> WalFunctions.replayControl(c.session, name), ColumnType.TEXT, name, false);
      }
      case "pg_create_restore_point" -> {
        arity(name, args, 1);
        Eval a = args.get(0).eval();
        return Compiled.of(
            c -> {
              Object x = a.eval(c);
              return x == null ? null : WalFunctions.createRestorePoint(c.session, x.toString());
            },
            ColumnType.PG_LSN,
            name,
            false);
      }
      case "pg_wal_lsn_diff" -> {
        arity(name, args, 2);
        requireLsn(name, args);
        Eval a = args.get(0).eval();
        Eval b = args.get(1).eval();
        return Compiled.of(
            c -> {
              Object x = a.eval(c);
              Object y = b.eval(c);
              return x == null || y == null
                  ? null
                  : Ops.lsnNumeric((org.walden.wal.Lsn) x)
                      .subtract(Ops.lsnNumeric((org.walden.wal.Lsn) y));
            },
            ColumnType.NUMERIC,
            name,
            args.get(0).constant() && args.get(1).constant());
      }
      case "pg_walfile_name" -> {
        arity(name, args, 1);
        requireLsn(name, args);
        Eval a = args.get(0).eval();
        return Compiled.of(
            c -> {
              Object x = a.eval(c);
              return x == null ? null : WalFunctions.walFileName(c.session, (org.walden.wal.Lsn) x);
            },
            ColumnType.TEXT,
            name,
            false);
      }
      case "pg_walfile_name_offset" -> {
        // in a target list the (file_name, file_offset) record prints as "(name,offset)"
        arity(name, args, 1);
        requireLsn(name, args);
        Eval a = args.get(0).eval();
        return Compiled.of(
            c -> {
              Object[] row = WalFunctions.walFileNameOffset(c.session, a.eval(c));
              return row == null ? null : "(" + row[0] + "," + row[1] + ")";
            },
            ColumnType.RECORD,
            name,
            false);
      }
      case "pg_create_physical_replication_slot", "pg_replication_slot_advance" -> {
        return SlotFunctions.asRecord(name, args);
      }
      case "pg_drop_replication_slot" -> {
        return SlotFunctions.drop(args);
      }
      case "pg_switch_wal" -> {
        arity(name, args, 0);
        return Compiled.of(c -> WalFunctions.switchWal(c.session), ColumnType.PG_LSN, name, false);
      }
      case "pg_cancel_backend", "pg_terminate_backend" -> {
        // pg_terminate_backend's optional timeout (PostgreSQL 14+) is not taken: 0 = do not wait
        arity(name, args, 1);
        Eval a = args.get(0).eval();
        boolean terminate = name.equals("pg_terminate_backend");
        return Compiled.of(
            c -> {
              Object x = a.eval(c);
              return x == null
                  ? null
                  : WalFunctions.signalBackend(c.session, ((Number) x).intValue(), terminate);
            },
            ColumnType.BOOLEAN,
            name,
            false);
      }
      case "pg_promote" -> {
        if (n > 2) {
          throw undefined(name, args);
        }
        Eval w = n > 0 ? args.get(0).eval() : c -> Boolean.TRUE;
        Eval secs = n > 1 ? args.get(1).eval() : c -> 60;
        return Compiled.of(
            c -> WalFunctions.promote(c.session, w.eval(c), secs.eval(c)),
            ColumnType.BOOLEAN,
            name,
            false);
      }
      case "pg_reload_conf" -> {
        arity(name, args, 0);
        return Compiled.of(
            c -> WalFunctions.reloadConf(c.session), ColumnType.BOOLEAN, name, false);
      }
      case "generate_series" ->
          throw new SqlException(
              "0A000", "set-returning functions are supported only in FROM", null, null, 0);
      default -> throw undefined(name, args);
    }
  }

  private static void arity(String name, List<Compiled> args, int n) {
    if (args.size() != n) {
      throw undefined(name, args);
    }
  }

  private static void requireLsn(String name, List<Compiled> args) {
    for (Compiled a : args) {
      if (!a.unknown() && a.type().kind() != TypeKind.PG_LSN) {
        throw undefined(name, args);
      }
    }
  }

  private static void requireText(String name, List<Compiled> args, Compiled a) {
    if (!a.unknown() && !SqlTypes.isText(a.type())) {
      throw undefined(name, args);
    }
  }

  static Compiled sqlValue(Expr.SqlValue v) {
    return switch (v.kind()) {
      case CURRENT_TIMESTAMP ->
          Compiled.of(c -> c.txn.startTime(), ColumnType.TIMESTAMPTZ, "current_timestamp", false);
      case LOCALTIMESTAMP ->
          Compiled.of(c -> c.txn.startTime(), ColumnType.TIMESTAMP, "localtimestamp", false);
      case CURRENT_DATE ->
          // no date type in storage: the date's text, which is what clients print anyway
          Compiled.of(
              c -> c.txn.startTime().toLocalDateTime().toLocalDate().toString(),
              ColumnType.TEXT,
              "current_date",
              false);
      case CURRENT_TIME, LOCALTIME -> throw Errors.unsupported("type time");
      case CURRENT_USER, CURRENT_ROLE, USER ->
          Compiled.of(c -> c.session.user(), ColumnType.TEXT, "current_user", true);
      case SESSION_USER ->
          Compiled.of(c -> c.session.user(), ColumnType.TEXT, "session_user", true);
      case CURRENT_CATALOG ->
          Compiled.of(c -> c.session.database(), ColumnType.TEXT, "current_catalog", true);
      case CURRENT_SCHEMA -> Compiled.of(c -> "public", ColumnType.TEXT, "current_schema", true);
    };
  }
}
