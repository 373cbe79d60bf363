package org.walden.node;

import java.nio.file.Path;
import org.walden.wal.WalSegmentSize;

/**
 * What {@code walden init} is told: where, the WAL segment size (fixed for the directory's life),
 * the superuser's name, and the authentication method for local connections.
 */
public record InitOptions(
    Path dataDir, WalSegmentSize segmentSize, String superuser, String auth) {}
