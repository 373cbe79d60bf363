package org.walden.storage.catalog;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.walden.storage.table.Table;

/**
 * One committed version of the catalog: the tables (by name and by OID) and the roles, as of the
 * commit LSN that produced it. Immutable; DDL builds a {@link Builder} from the newest version and
 * its commit installs the result as the new newest version (linked to the previous one), so a
 * snapshot at LSN S resolves names in the newest version with {@code commitLsn <= S} and keeps
 * reading the {@link Table} generations it saw even while later DDL replaces them.
 *
 * <p>{@link #older()} is cut by vacuum below the version the oldest snapshot needs (guarded by the
 * same reasoning as row versions: only ever cut below what any snapshot can see).
 */
public final class Catalog {

  private final Map<String, Table> byName;
  private final Map<Integer, Table> byOid;
  private final Map<String, Role> roles;
  private final int nextOid;
  private final long commitLsn;
  private volatile Catalog older;

  private Catalog(
      Map<String, Table> byName,
      Map<Integer, Table> byOid,
      Map<String, Role> roles,
      int nextOid,
      long commitLsn,
      Catalog older) {
    this.byName = byName;
    this.byOid = byOid;
    this.roles = roles;
    this.nextOid = nextOid;
    this.commitLsn = commitLsn;
    this.older = older;
  }

  /** OIDs below this are reserved for built-in objects, as in PostgreSQL. */
  public static final int FIRST_USER_OID = 16384;

  public static Catalog empty(long lsn) {
    return new Catalog(Map.of(), Map.of(), Map.of(), FIRST_USER_OID, lsn, null);
  }

  public Table table(String name) {
    return byName.get(name);
  }

  public Table table(int oid) {
    return byOid.get(oid);
  }

  public Collection<Table> tables() {
    return byOid.values();
  }

  public Role role(String name) {
    return roles.get(name);
  }

  public Collection<Role> roles() {
    return roles.values();
  }

  /** The next OID to assign (persisted so OIDs are never reused). */
  public int nextOid() {
    return nextOid;
  }

  public long commitLsn() {
    return commitLsn;
  }

  public Catalog older() {
    return older;
  }

  /** The newest version in this chain visible at {@code snapshot}. */
  public Catalog at(long snapshot) {
    Catalog c = this;
    while (c.commitLsn > snapshot && c.older != null) {
      c = c.older;
    }
    return c;
  }

  /** Cuts the chain below the version visible at {@code oldestSnapshot}. */
  public void trim(long oldestSnapshot) {
    at(oldestSnapshot).older = null;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A private, mutable copy for one DDL transaction (or one redo commit). Not thread-safe. */
  public static final class Builder {
    private final Map<String, Table> byName;
    private final Map<Integer, Table> byOid;
    private final Map<String, Role> roles;
    private int nextOid;

    Builder(Catalog base) {
      this.byName = new HashMap<>(base.byName);
      this.byOid = new HashMap<>(base.byOid);
      this.roles = new HashMap<>(base.roles);
      this.nextOid = base.nextOid;
    }

    public Table table(String name) {
      return byName.get(name);
    }

    public Table table(int oid) {
      return byOid.get(oid);
    }

    public Role role(String name) {
      return roles.get(name);
    }

    public int allocateOid() {
      return nextOid++;
    }

    /** Makes OIDs up to {@code used} taken (redo of DDL from another server's WAL). */
    public void noteOid(int used) {
      nextOid = Math.max(nextOid, used + 1);
    }

    /** Adds or replaces (same OID) a table generation. */
    public void putTable(Table t) {
      Table old = byOid.put(t.oid(), t);
      if (old != null && !old.name().equals(t.name())) {
        byName.remove(old.name());
      }
      byName.put(t.name(), t);
      noteOid(t.oid());
    }

    public void removeTable(Table t) {
      byOid.remove(t.oid());
      byName.remove(t.name());
    }

    public void putRole(Role r) {
      roles.put(r.name(), r);
      noteOid(r.oid());
    }

    public void removeRole(String name) {
      roles.remove(name);
    }

    public Catalog build(long commitLsn, Catalog older) {
      return new Catalog(
          Map.copyOf(byName), Map.copyOf(byOid), Map.copyOf(roles), nextOid, commitLsn, older);
    }
  }
}
