package org.walden.storage.catalog;

import org.walden.storage.type.ColumnType;

/** One column of a table: name, type, NOT NULL, default. Immutable. */
public record Column(String name, ColumnType type, boolean notNull, ColumnDefault defaultValue) {

  public Column {
    if (defaultValue == null) {
      defaultValue = ColumnDefault.NONE;
    }
  }

  public static Column of(String name, ColumnType type) {
    return new Column(name, type, false, ColumnDefault.NONE);
  }

  public static Column notNull(String name, ColumnType type) {
    return new Column(name, type, true, ColumnDefault.NONE);
  }

  public Column withNotNull() {
    return new Column(name, type, true, defaultValue);
  }
}
