package org.walden.server;

import java.util.Optional;
import org.walden.storage.txn.TransactionManager;
import org.walden.wire.auth.Role;
import org.walden.wire.auth.RoleStore;

/**
 * The roles authentication sees: the latest committed catalog's {@code pg_authid}. A role created
 * or altered by a committed transaction is visible to the next login at once (no cache), so {@code
 * CREATE ROLE u LOGIN PASSWORD 'p'} followed by a connection as {@code u} works.
 *
 * <p>Stateless and thread-safe: each lookup reads the store's current catalog version, which is
 * immutable.
 */
public final class CatalogRoleStore implements RoleStore {
  private final TransactionManager store;

  public CatalogRoleStore(TransactionManager store) {
    this.store = store;
  }

  @Override
  public Optional<Role> find(String name) {
    org.walden.storage.catalog.Role r = store.latestCatalog().role(name);
    if (r == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Role(r.name(), r.login(), r.superuser(), r.replication(), r.scramVerifier()));
  }
}
