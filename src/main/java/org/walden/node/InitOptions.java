package org.walden.node;

import java.nio.file.Path;
import org.walden.wal.WalSegmentSize;

/**
 * What {@code walden init} is told: where, the WAL segment size (fixed for the directory's life),
 * the superuser's name, the authentication method for local connections, and the superuser's
 * password (null for none; required with a password method, as initdb requires it).
 */
public record InitOptions(
    Path dataDir, WalSegmentSize segmentSize, String superuser, String auth, String password) {

  public InitOptions(Path dataDir, WalSegmentSize segmentSize, String superuser, String auth) {
    this(dataDir, segmentSize, superuser, auth, null);
  }
}
