package org.walden.sql.exec;

import java.util.List;
import java.util.Set;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.TypeKind;
import org.walden.wal.Lsn;

/**
 * The replication slot functions of PostgreSQL's slotfuncs.c over the session's {@link
 * ServerStatus}: {@code pg_create_physical_replication_slot(name, immediately_reserve DEFAULT
 * false, temporary DEFAULT false)}, {@code pg_drop_replication_slot(name)} and {@code
 * pg_replication_slot_advance(name, pg_lsn)}; their argument checks, privilege check and OUT
 * columns. All are STRICT: a NULL argument gives NULL. Stateless.
 */
final class SlotFunctions {
  private SlotFunctions() {}

  static final Set<String> ROW_FUNCTIONS =
      Set.of("pg_create_physical_replication_slot", "pg_replication_slot_advance");

  static boolean isSlotFunction(String name) {
    return ROW_FUNCTIONS.contains(name) || name.equals("pg_drop_replication_slot");
  }

  /** The OUT columns of a row function. */
  static List<String> outColumns(String name) {
    return name.equals("pg_replication_slot_advance")
        ? List.of("slot_name", "end_lsn")
        : List.of("slot_name", "lsn");
  }

  static List<ColumnType> outTypes() {
    return List.of(ColumnType.NAME, ColumnType.PG_LSN);
  }

  /** CheckSlotPermissions (Walden has no REPLICATION-role check here: superusers only). */
  private static void checkPermission(SqlSession s) {
    if (!s.isSuperuser()) {
      throw new SqlException(
          "42501", "must be superuser or replication role to use replication slots");
    }
  }

  /** Checks the arguments and returns the evaluator of the function's one row (null if NULL). */
  static Eval rowEval(String name, List<Compiled> args) {
    switch (name) {
      case "pg_create_physical_replication_slot" -> {
        if (args.isEmpty() || args.size() > 3) {
          throw Functions.undefined(name, args);
        }
        requireText(name, args, args.get(0));
        for (int i = 1; i < args.size(); i++) {
          requireKind(name, args, args.get(i), TypeKind.BOOLEAN);
        }
        Eval slot = args.get(0).eval();
        Eval reserve = args.size() > 1 ? args.get(1).eval() : c -> false;
        Eval temporary = args.size() > 2 ? args.get(2).eval() : c -> false;
        return c -> {
          Object n = slot.eval(c);
          Object r = reserve.eval(c);
          Object t = temporary.eval(c);
          if (n == null || r == null || t == null) {
            return null;
          }
          checkPermission(c.session);
          Lsn lsn =
              c.session
                  .serverStatus()
                  .createPhysicalReplicationSlot(
                      (String) n, bool(r), bool(t), c.session.backendPid())
                  .orElse(null);
          return new Object[] {n, lsn};
        };
      }
      case "pg_replication_slot_advance" -> {
        if (args.size() != 2) {
          throw Functions.undefined(name, args);
        }
        requireText(name, args, args.get(0));
        requireKind(name, args, args.get(1), TypeKind.PG_LSN);
        Eval slot = args.get(0).eval();
        Eval target = args.get(1).eval();
        return c -> {
          Object n = slot.eval(c);
          Object l = target.eval(c);
          if (n == null || l == null) {
            return null;
          }
          checkPermission(c.session);
          Lsn moved =
              c.session
                  .serverStatus()
                  .advanceReplicationSlot((String) n, toLsn(l), c.session.backendPid());
          return new Object[] {n, moved};
        };
      }
      default -> throw Functions.undefined(name, args);
    }
  }

  /** pg_drop_replication_slot: returns void (an empty text value here). */
  static Compiled drop(List<Compiled> args) {
    String name = "pg_drop_replication_slot";
    if (args.size() != 1) {
      throw Functions.undefined(name, args);
    }
    requireText(name, args, args.get(0));
    Eval slot = args.get(0).eval();
    return Compiled.of(
        c -> {
          Object n = slot.eval(c);
          if (n == null) {
            return null;
          }
          checkPermission(c.session);
          c.session.serverStatus().dropReplicationSlot((String) n, c.session.backendPid());
          return "";
        },
        ColumnType.TEXT,
        name,
        false);
  }

  /** In a target list the OUT record prints as {@code (name,lsn)}, a NULL field as nothing. */
  static Compiled asRecord(String name, List<Compiled> args) {
    Eval row = rowEval(name, args);
    return Compiled.of(
        c -> {
          Object[] r = (Object[]) row.eval(c);
          if (r == null) {
            return null;
          }
          return "(" + r[0] + "," + (r[1] == null ? "" : r[1].toString()) + ")";
        },
        ColumnType.RECORD,
        name,
        false);
  }

  private static Lsn toLsn(Object v) {
    return v instanceof Lsn l ? l : Lsn.parse(v.toString());
  }

  private static boolean bool(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
    return switch (s) {
      case "t", "true", "y", "yes", "on", "1" -> true;
      case "f", "false", "n", "no", "off", "0" -> false;
      default ->
          throw new SqlException("22P02", "invalid input syntax for type boolean: \"" + v + "\"");
    };
  }

  private static void requireText(String name, List<Compiled> args, Compiled a) {
    if (a.unknown()) {
      return;
    }
    TypeKind k = a.type().kind();
    if (k != TypeKind.TEXT && k != TypeKind.NAME && k != TypeKind.VARCHAR) {
      throw Functions.undefined(name, args);
    }
  }

  private static void requireKind(String name, List<Compiled> args, Compiled a, TypeKind kind) {
    if (!a.unknown() && a.type().kind() != kind) {
      throw Functions.undefined(name, args);
    }
  }
}
