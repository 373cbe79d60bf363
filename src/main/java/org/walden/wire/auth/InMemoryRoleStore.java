package org.walden.wire.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link RoleStore} in a concurrent map, for tests and embedded use. Thread-safe. */
public final class InMemoryRoleStore implements RoleStore {
  private final ConcurrentMap<String, Role> roles = new ConcurrentHashMap<>();

  public InMemoryRoleStore put(Role role) {
    roles.put(role.name(), role);
    return this;
  }

  /** Adds a login role with a SCRAM-SHA-256 verifier built from {@code password}. */
  public InMemoryRoleStore putWithPassword(String name, String password, boolean superuser) {
    return put(
        new Role(name, true, superuser, superuser, ScramSha256.buildVerifier(password).toString()));
  }

  public void remove(String name) {
    roles.remove(name);
  }

  @Override
  public Optional<Role> find(String name) {
    return Optional.ofNullable(roles.get(name));
  }
}
