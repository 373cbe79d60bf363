package org.walden.sql.parse;

import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.AlterRoleStmt;
import org.walden.sql.parse.ast.AlterTableStmt;
import org.walden.sql.parse.ast.ColumnDef;
import org.walden.sql.parse.ast.CreateRoleStmt;
import org.walden.sql.parse.ast.CreateTableStmt;
import org.walden.sql.parse.ast.DropRoleStmt;
import org.walden.sql.parse.ast.DropTableStmt;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.QualifiedName;
import org.walden.sql.parse.ast.RoleOption;
import org.walden.sql.parse.ast.Statement;
import org.walden.sql.parse.ast.TruncateStmt;
import org.walden.sql.parse.ast.TypeName;
import org.walden.sql.parse.ast.VacuumStmt;

/**
 * Tables and roles: CREATE/DROP/ALTER TABLE, TRUNCATE, CREATE/ALTER/DROP ROLE (USER), VACUUM and
 * ANALYZE. Any other object kind after CREATE, DROP or ALTER is 0A000 "CREATE X is not supported";
 * constraints other than PRIMARY KEY, NOT NULL and DEFAULT are 0A000 too.
 */
final class DdlParser {

  private final Cursor c;
  private final ExprParser ex;
  private final QueryParser q;

  DdlParser(Cursor c, ExprParser ex, QueryParser q) {
    this.c = c;
    this.ex = ex;
    this.q = q;
  }

  Statement create() {
    int createAt = c.pos;
    c.expect(Keyword.CREATE);
    if (c.at(Keyword.TEMP) || c.at(Keyword.TEMPORARY) || c.at(Keyword.UNLOGGED)) {
      throw c.unsupported(c.upperText() + " tables");
    }
    if (c.accept(Keyword.TABLE)) {
      return createTable();
    }
    if (c.at(Keyword.ROLE) || c.at(Keyword.USER)) {
      boolean user = c.at(Keyword.USER);
      c.pos++;
      String name = roleName();
      c.accept(Keyword.WITH);
      return new CreateRoleStmt(name, user, roleOptions());
    }
    throw notSupported(createAt);
  }

  /** 0A000 "CREATE INDEX is not supported", naming the statement by its first two words. */
  private SqlParseException notSupported(int verbAt) {
    if (!c.atLabel()) {
      throw c.syntaxError();
    }
    String what = c.t.text(verbAt) + " " + c.t.text(c.pos);
    if ((c.at(Keyword.UNIQUE) || c.at(Keyword.OR)) && c.kind(1) == Tokens.IDENT) {
      what = what + " " + c.t.text(c.pos + 1);
    }
    return c.unsupportedAt(c.pos, what.toUpperCase(java.util.Locale.ROOT));
  }

  private CreateTableStmt createTable() {
    boolean ifNotExists = ifNotExists();
    QualifiedName name = q.qualifiedName();
    if (c.at(Keyword.AS) || c.at(Keyword.OF) || c.atWord("partition")) {
      throw c.unsupported("CREATE TABLE " + c.upperText());
    }
    c.expect(Tokens.LPAREN);
    List<ColumnDef> columns = new ArrayList<>(8);
    List<String> primaryKey = List.of();
    int pkAt = -1;
    if (!c.at(Tokens.RPAREN)) {
      do {
        boolean named = c.accept(Keyword.CONSTRAINT);
        if (named) {
          c.colId();
        }
        if (c.at(Keyword.PRIMARY)) {
          int at = c.pos;
          c.pos++;
          c.expect(Keyword.KEY);
          c.expect(Tokens.LPAREN);
          List<String> cols = q.nameList();
          c.expect(Tokens.RPAREN);
          primaryKey = setPrimaryKey(primaryKey, cols, pkAt, at, name);
          pkAt = at;
        } else {
          rejectOtherConstraint(!named);
          ColumnResult col = columnDef();
          columns.add(col.def);
          if (col.primaryKeyAt >= 0) {
            primaryKey =
                setPrimaryKey(primaryKey, List.of(col.def.name()), pkAt, col.primaryKeyAt, name);
            pkAt = col.primaryKeyAt;
          }
        }
      } while (c.accept(Tokens.COMMA));
    }
    c.expect(Tokens.RPAREN);
    if (c.atWord("inherits") || c.atWord("partition") || c.atWord("tablespace")) {
      throw c.unsupported("CREATE TABLE ... " + c.upperText());
    }
    if (c.accept(Keyword.WITH)) {
      skipParenthesised(); // storage parameters such as fillfactor mean nothing in memory
    } else if (c.accept(Keyword.WITHOUT)) {
      if (!c.acceptWord("oids")) {
        throw c.syntaxError();
      }
    }
    if (c.at(Keyword.ON) && c.kw(1) == Keyword.COMMIT) {
      throw c.unsupported("ON COMMIT");
    }
    return new CreateTableStmt(name, ifNotExists, List.copyOf(columns), primaryKey);
  }

  private List<String> setPrimaryKey(
      List<String> current, List<String> cols, int previousAt, int at, QualifiedName table) {
    if (previousAt >= 0) {
      throw c.errorAt(
          at,
          SqlParseException.INVALID_TABLE_DEFINITION,
          "multiple primary keys for table \"" + table.name() + "\" are not allowed");
    }
    return cols;
  }

  /**
   * Throws 0A000 if a table constraint other than PRIMARY KEY starts here. Returns normally if none
   * does; then, unless a column definition may follow ({@code columnMayFollow}), it is a syntax
   * error.
   */
  private void rejectOtherConstraint(boolean columnMayFollow) {
    Keyword k = c.kw();
    if (k == Keyword.UNIQUE
        || k == Keyword.CHECK
        || k == Keyword.FOREIGN
        || k == Keyword.LIKE
        || c.atWord("exclude")) {
      throw c.unsupported(c.upperText() + " constraints");
    }
    if (!columnMayFollow) {
      throw c.syntaxError();
    }
  }

  private record ColumnResult(ColumnDef def, int primaryKeyAt) {}

  private ColumnResult columnDef() {
    String name = c.colId();
    TypeName type = new TypeParser(c).typeName();
    boolean notNull = false;
    Expr defaultValue = null;
    int pkAt = -1;
    while (true) {
      if (c.accept(Keyword.CONSTRAINT)) {
        c.colId();
      }
      Keyword k = c.kw();
      if (k == Keyword.NOT && c.kw(1) == Keyword.NULL) {
        c.pos += 2;
        notNull = true;
      } else if (k == Keyword.NULL) {
        c.pos++;
        notNull = false;
      } else if (k == Keyword.DEFAULT) {
        c.pos++;
        defaultValue = ex.operand();
      } else if (k == Keyword.PRIMARY) {
        pkAt = c.pos;
        c.pos++;
        c.expect(Keyword.KEY);
      } else if (k == Keyword.UNIQUE
          || k == Keyword.CHECK
          || k == Keyword.REFERENCES
          || k == Keyword.COLLATE
          || c.atWord("generated")) {
        throw c.unsupported(c.upperText() + " column constraints");
      } else {
        return new ColumnResult(new ColumnDef(name, type, notNull, defaultValue), pkAt);
      }
    }
  }

  private void skipParenthesised() {
    c.expect(Tokens.LPAREN);
    int depth = 1;
    while (depth > 0) {
      if (c.atEnd()) {
        throw c.syntaxError();
      }
      if (c.at(Tokens.LPAREN)) {
        depth++;
      } else if (c.at(Tokens.RPAREN)) {
        depth--;
      }
      c.pos++;
    }
  }

  private boolean ifNotExists() {
    if (c.at(Keyword.IF) && c.kw(1) == Keyword.NOT && c.kw(2) == Keyword.EXISTS) {
      c.pos += 3;
      return true;
    }
    return false;
  }

  private boolean ifExists() {
    if (c.at(Keyword.IF) && c.kw(1) == Keyword.EXISTS) {
      c.pos += 2;
      return true;
    }
    return false;
  }

  /** CASCADE → true; RESTRICT or nothing → false. */
  private boolean dropBehavior() {
    if (c.accept(Keyword.CASCADE)) {
      return true;
    }
    c.accept(Keyword.RESTRICT);
    return false;
  }

  Statement drop() {
    int dropAt = c.pos;
    c.expect(Keyword.DROP);
    if (c.accept(Keyword.TABLE)) {
      boolean ifExists = ifExists();
      List<QualifiedName> names = qualifiedNames();
      return new DropTableStmt(names, ifExists, dropBehavior());
    }
    if (c.accept(Keyword.ROLE) || c.accept(Keyword.USER)) {
      boolean ifExists = ifExists();
      List<String> names = new ArrayList<>(1);
      do {
        names.add(roleName());
      } while (c.accept(Tokens.COMMA));
      return new DropRoleStmt(List.copyOf(names), ifExists);
    }
    throw notSupported(dropAt);
  }

  private List<QualifiedName> qualifiedNames() {
    List<QualifiedName> names = new ArrayList<>(2);
    do {
      names.add(q.qualifiedName());
    } while (c.accept(Tokens.COMMA));
    return List.copyOf(names);
  }

  TruncateStmt truncate() {
    c.expect(Keyword.TRUNCATE);
    c.accept(Keyword.TABLE);
    List<QualifiedName> names = qualifiedNames();
    if (c.accept(Keyword.RESTART) || c.accept(Keyword.CONTINUE)) {
      c.expect(Keyword.IDENTITY);
    }
    dropBehavior();
    return new TruncateStmt(names);
  }

  Statement alter() {
    int alterAt = c.pos;
    c.expect(Keyword.ALTER);
    if (c.accept(Keyword.TABLE)) {
      return alterTable();
    }
    if (c.accept(Keyword.ROLE) || c.accept(Keyword.USER)) {
      String name = roleName();
      if (c.at(Keyword.SET) || c.at(Keyword.RESET) || c.atWord("rename")) {
        throw c.unsupported("ALTER ROLE ... " + c.upperText());
      }
      c.accept(Keyword.WITH);
      return new AlterRoleStmt(name, roleOptions());
    }
    throw notSupported(alterAt);
  }

  private AlterTableStmt alterTable() {
    boolean ifExists = ifExists();
    QualifiedName name = q.qualifiedName();
    List<AlterTableStmt.Action> actions = new ArrayList<>(1);
    do {
      actions.add(alterAction());
    } while (c.accept(Tokens.COMMA));
    return new AlterTableStmt(name, ifExists, List.copyOf(actions));
  }

  private AlterTableStmt.Action alterAction() {
    if (c.accept(Keyword.ADD)) {
      boolean named = c.accept(Keyword.CONSTRAINT);
      if (named) {
        c.colId();
      }
      if (c.accept(Keyword.PRIMARY)) {
        c.expect(Keyword.KEY);
        c.expect(Tokens.LPAREN);
        List<String> cols = q.nameList();
        c.expect(Tokens.RPAREN);
        return new AlterTableStmt.AddPrimaryKey(cols);
      }
      rejectOtherConstraint(!named);
      c.accept(Keyword.COLUMN);
      boolean ifNotExists = ifNotExists();
      ColumnResult col = columnDef();
      if (col.primaryKeyAt >= 0) {
        throw c.unsupportedAt(col.primaryKeyAt, "ADD COLUMN ... PRIMARY KEY");
      }
      return new AlterTableStmt.AddColumn(col.def, ifNotExists);
    }
    if (c.accept(Keyword.DROP)) {
      if (c.at(Keyword.CONSTRAINT)) {
        throw c.unsupported("DROP CONSTRAINT");
      }
      c.accept(Keyword.COLUMN);
      boolean ifExists = ifExists();
      String column = c.colId();
      return new AlterTableStmt.DropColumn(column, ifExists, dropBehavior());
    }
    if (c.atLabel()) {
      throw c.unsupported("ALTER TABLE ... " + c.upperText());
    }
    throw c.syntaxError();
  }

  // ---- roles

  private String roleName() {
    if (c.at(Keyword.CURRENT_USER) || c.at(Keyword.SESSION_USER) || c.at(Keyword.CURRENT_ROLE)) {
      throw c.unsupported(c.upperText() + " as a role name");
    }
    return c.colId();
  }

  private List<RoleOption> roleOptions() {
    List<RoleOption> options = new ArrayList<>(2);
    while (!c.atEnd()) {
      options.add(roleOption());
    }
    return List.copyOf(options);
  }

  private RoleOption roleOption() {
    if (c.accept(Keyword.PASSWORD)) {
      if (c.accept(Keyword.NULL)) {
        return new RoleOption.Password(null);
      }
      return new RoleOption.Password(c.string());
    }
    if (c.accept(Keyword.ENCRYPTED)) {
      c.expect(Keyword.PASSWORD);
      return new RoleOption.Password(c.string());
    }
    if (c.accept(Keyword.CONNECTION)) {
      c.expect(Keyword.LIMIT);
      return new RoleOption.ConnectionLimit(c.smallInt());
    }
    if (c.accept(Keyword.VALID)) {
      c.expect(Keyword.UNTIL);
      return new RoleOption.ValidUntil(c.string());
    }
    if (c.at(Tokens.IDENT) && c.kw() == null) {
      String word = c.name(c.pos);
      boolean enabled = !word.startsWith("no");
      String flagName = enabled ? word : word.substring(2);
      for (RoleOption.RoleFlag f : RoleOption.RoleFlag.values()) {
        if (f.name().equalsIgnoreCase(flagName)) {
          c.pos++;
          return new RoleOption.Flag(f, enabled);
        }
      }
      if (word.equals("sysid") || word.equals("admin") || word.equals("role")) {
        throw c.unsupported("role option " + c.upperText());
      }
      throw c.errorAt(
          c.pos, SqlParseException.SYNTAX_ERROR, "unrecognized role option \"" + word + "\"");
    }
    if (c.at(Keyword.IN) || c.at(Keyword.ROLE) || c.at(Keyword.USER)) {
      throw c.unsupported("role membership options");
    }
    throw c.syntaxError();
  }

  // ---- maintenance

  VacuumStmt vacuum() {
    c.expect(Keyword.VACUUM);
    boolean analyze = false;
    if (c.at(Tokens.LPAREN)) {
      c.pos++;
      do {
        if (!c.atLabel()) {
          throw c.syntaxError();
        }
        Keyword k = c.kw();
        analyze |= k == Keyword.ANALYZE || k == Keyword.ANALYSE;
        c.pos++;
        if (!c.at(Tokens.COMMA) && !c.at(Tokens.RPAREN)) {
          c.pos++; // an option value such as "on" or a number
        }
      } while (c.accept(Tokens.COMMA));
      c.expect(Tokens.RPAREN);
    } else {
      c.accept(Keyword.FULL);
      c.accept(Keyword.FREEZE);
      c.accept(Keyword.VERBOSE);
      analyze = c.accept(Keyword.ANALYZE) || c.accept(Keyword.ANALYSE);
    }
    return new VacuumStmt(true, analyze, maintenanceTables());
  }

  VacuumStmt analyze() {
    c.pos++; // ANALYZE or ANALYSE
    c.accept(Keyword.VERBOSE);
    return new VacuumStmt(false, true, maintenanceTables());
  }

  private List<QualifiedName> maintenanceTables() {
    if (c.atEnd()) {
      return List.of();
    }
    List<QualifiedName> names = new ArrayList<>(1);
    do {
      names.add(q.qualifiedName());
      if (c.accept(Tokens.LPAREN)) { // a column list, which only narrows ANALYZE
        q.nameList();
        c.expect(Tokens.RPAREN);
      }
    } while (c.accept(Tokens.COMMA));
    return List.copyOf(names);
  }
}
