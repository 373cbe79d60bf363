package org.walden.config;

/** Values of {@code synchronous_commit}: how long a commit waits before it reports success. */
public enum SynchronousCommit {
  OFF,
  LOCAL,
  REMOTE_WRITE,
  ON,
  REMOTE_APPLY;
}
