package org.walden.config;

/** Values of {@code wal_level}: how much information the WAL carries. */
public enum WalLevel {
  MINIMAL,
  REPLICA,
  LOGICAL;
}
