package org.walden.sql.exec;

import org.walden.sql.parse.ast.QualifiedName;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.table.Table;
import org.walden.storage.txn.Transaction;

/**
 * A table named in a statement, resolved at prepare time: its name and the schema the plan was
 * compiled against. Each execution looks the table up again (TRUNCATE makes a new {@link Table}
 * generation; DDL a new schema) and reports the plan stale if the columns or key changed.
 */
record TableRef(String name, TableSchema schema) {

  static TableRef resolve(QualifiedName qn, Transaction txn) {
    String n = checkSchema(qn);
    Table t = txn.table(n);
    if (t == null) {
      throw Errors.undefinedTable(qn.toString());
    }
    return new TableRef(n, t.schema());
  }

  static String checkSchema(QualifiedName qn) {
    if (qn.schema() != null && !qn.schema().equals("public")) {
      if (qn.schema().equals("pg_catalog") || qn.schema().equals("information_schema")) {
        throw Errors.unsupported("system catalog " + qn);
      }
      throw new SqlException("3F000", "schema \"" + qn.schema() + "\" does not exist");
    }
    return qn.name();
  }

  /** The table as the executing transaction sees it. */
  Table table(Transaction txn) {
    Table t = txn.table(name);
    if (t == null) {
      throw Errors.undefinedTable(name);
    }
    return t;
  }

  boolean stale(Transaction txn) {
    Table t = txn.table(name);
    if (t == null) {
      return true;
    }
    TableSchema now = t.schema();
    return now != schema
        && (now.oid() != schema.oid()
            || !now.columns().equals(schema.columns())
            || !java.util.Arrays.equals(now.primaryKey(), schema.primaryKey()));
  }
}
