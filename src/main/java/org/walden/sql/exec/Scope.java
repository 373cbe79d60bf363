package org.walden.sql.exec;

import java.util.List;
import org.walden.storage.catalog.Column;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.type.ColumnType;

/**
 * The columns an expression may name: those of the single FROM item (a table or {@code
 * generate_series}), under its correlation name. Immutable.
 *
 * @param qualifier the alias, else the table name; null for a SELECT without FROM
 * @param tableOid the table's OID, 0 for a function
 */
record Scope(String qualifier, List<String> names, List<ColumnType> types, int tableOid) {

  static final Scope EMPTY = new Scope(null, List.of(), List.of(), 0);

  static Scope of(TableSchema s, String alias) {
    return new Scope(
        alias != null ? alias : s.name(),
        s.columns().stream().map(Column::name).toList(),
        s.columns().stream().map(Column::type).toList(),
        s.oid());
  }

  /** The index of a column, or -1. */
  int indexOf(String name) {
    return names.indexOf(name);
  }

  int size() {
    return names.size();
  }
}
