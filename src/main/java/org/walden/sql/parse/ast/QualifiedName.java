package org.walden.sql.parse.ast;

/**
 * A possibly schema-qualified object name, already case-folded (unquoted parts lower-cased).
 *
 * @param schema the schema part, or null when the name was not qualified
 * @param name the object's own name
 */
public record QualifiedName(String schema, String name) {

  public static QualifiedName of(String name) {
    return new QualifiedName(null, name);
  }

  @Override
  public String toString() {
    return schema == null ? name : schema + "." + name;
  }
}
