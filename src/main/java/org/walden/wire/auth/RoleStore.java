package org.walden.wire.auth;

import java.util.Optional;

/**
 * The catalog of roles as authentication sees it (PostgreSQL's {@code pg_authid} lookup). The
 * storage/SQL layer implements it over its catalog; {@link InMemoryRoleStore} serves tests.
 *
 * <p>Called from session threads concurrently: implementations must be thread-safe and should not
 * block for long (a login holds a connection slot while it waits).
 */
public interface RoleStore {

  /** The role named exactly {@code name} (case-sensitive, as sent in the startup packet). */
  Optional<Role> find(String name);
}
