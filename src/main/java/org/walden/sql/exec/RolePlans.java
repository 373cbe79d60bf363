package org.walden.sql.exec;

import java.util.List;
import org.walden.sql.parse.ast.AlterRoleStmt;
import org.walden.sql.parse.ast.CreateRoleStmt;
import org.walden.sql.parse.ast.DropRoleStmt;
import org.walden.sql.parse.ast.RoleOption;
import org.walden.storage.catalog.Role;
import org.walden.wire.auth.ScramSha256;
import org.walden.wire.auth.ScramVerifier;

/**
 * CREATE / ALTER / DROP ROLE (and USER). Passwords are stored only as SCRAM-SHA-256 verifiers: a
 * plain password is hashed here (a fresh salt each time), a verifier given as text is kept as is,
 * and an MD5 hash is refused since it cannot be turned into one. Only superusers may manage roles
 * (PostgreSQL's CREATEROLE attribute is not modelled). Stateless.
 */
final class RolePlans {
  private RolePlans() {}

  private static void requireSuperuser(EvalContext c, String action) {
    if (!c.session.isSuperuser()) {
      throw new SqlException("42501", "permission denied to " + action + " role");
    }
  }

  /** The attributes being built up from a role's options. */
  private static final class Attrs {
    boolean superuser;
    boolean login;
    boolean replication;
    String verifier;

    Attrs(boolean superuser, boolean login, boolean replication, String verifier) {
      this.superuser = superuser;
      this.login = login;
      this.replication = replication;
      this.verifier = verifier;
    }

    void apply(List<RoleOption> options) {
      for (RoleOption o : options) {
        switch (o) {
          case RoleOption.Flag f -> {
            switch (f.flag()) {
              case SUPERUSER -> superuser = f.enabled();
              case LOGIN -> login = f.enabled();
              case REPLICATION -> replication = f.enabled();
              default -> {} // CREATEDB, CREATEROLE, INHERIT, BYPASSRLS: accepted, not modelled
            }
          }
          case RoleOption.Password p -> verifier = verifier(p.password());
          case RoleOption.ConnectionLimit l -> {}
          case RoleOption.ValidUntil v -> {}
        }
      }
    }
  }

  static String verifier(String password) {
    if (password == null) {
      return null;
    }
    if (ScramVerifier.isScram(password)) {
      return password;
    }
    if (password.startsWith("md5") && password.length() == 35) {
      throw Errors.unsupported("MD5 password hashes");
    }
    if (password.isEmpty()) {
      return null; // PostgreSQL: "empty string is not a valid password, clearing password"
    }
    return ScramSha256.buildVerifier(password).toString();
  }

  static Plan create(CreateRoleStmt s) {
    return DdlPlans.utility(c -> {
      requireSuperuser(c, "create");
      Attrs a = new Attrs(false, s.user(), false, null);
      a.apply(s.options());
      DdlPlans.run(
          () -> c.txn.createRole(s.name(), a.superuser, a.login, a.replication, a.verifier));
      return "CREATE ROLE";
    });
  }

  static Plan alter(AlterRoleStmt s) {
    return DdlPlans.utility(c -> {
      Role r = c.txn.role(s.name());
      if (r == null) {
        throw new SqlException("42704", "role \"" + s.name() + "\" does not exist");
      }
      boolean onlyOwnPassword =
          s.name().equals(c.session.user())
              && s.options().stream().allMatch(o -> o instanceof RoleOption.Password);
      if (!onlyOwnPassword) {
        requireSuperuser(c, "alter");
      }
      Attrs a = new Attrs(r.superuser(), r.login(), r.replication(), r.scramVerifier());
      a.apply(s.options());
      DdlPlans.run(() ->
          c.txn.alterRole(
              new Role(r.oid(), r.name(), a.superuser, a.login, a.replication, a.verifier)));
      return "ALTER ROLE";
    });
  }

  static Plan drop(DropRoleStmt s) {
    return DdlPlans.utility(c -> {
      requireSuperuser(c, "drop");
      for (String n : s.names()) {
        if (c.txn.role(n) == null) {
          if (!s.ifExists()) {
            throw new SqlException("42704", "role \"" + n + "\" does not exist");
          }
          c.session.notice("00000", "role \"" + n + "\" does not exist, skipping");
          continue;
        }
        if (n.equals(c.session.user())) {
          throw new SqlException("55006", "current user cannot be dropped");
        }
        DdlPlans.run(() -> c.txn.dropRole(n));
      }
      return "DROP ROLE";
    });
  }
}
