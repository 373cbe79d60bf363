package org.walden.sql.exec;

import org.walden.storage.StorageException;

/** Builders for the executor's client errors, in PostgreSQL's wording. Stateless. */
final class Errors {
  private Errors() {}

  static SqlException fromStorage(StorageException e) {
    return new SqlException(e.sqlState(), e.getMessage(), e.detail(), e.hint(), 0);
  }

  static SqlException undefinedTable(String name) {
    return new SqlException("42P01", "relation \"" + name + "\" does not exist");
  }

  static SqlException undefinedColumn(String table, String column) {
    return new SqlException(
        "42703",
        table == null
            ? "column \"" + column + "\" does not exist"
            : "column " + table + "." + column + " does not exist");
  }

  static SqlException unsupported(String what) {
    return new SqlException("0A000", what + " is not supported");
  }

  static SqlException syntax(String message) {
    return new SqlException("42601", message);
  }

  static SqlException noOperator(String op, String left, String right) {
    return new SqlException(
        "42883",
        "operator does not exist: " + left + " " + op + " " + right,
        null,
        "No operator matches the given name and argument types. You might need to add explicit"
            + " type casts.",
        0);
  }

  static SqlException datatypeMismatch(String message) {
    return new SqlException("42804", message);
  }
}
