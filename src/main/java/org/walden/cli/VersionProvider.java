package org.walden.cli;

import picocli.CommandLine;

/** {@code walden --version}: Walden's version and the PostgreSQL version it speaks as. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "walden " + (v == null ? "(development build)" : v) + " (speaks PostgreSQL 15.4)"
    };
  }
}
