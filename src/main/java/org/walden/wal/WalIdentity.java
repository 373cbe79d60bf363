package org.walden.wal;

/**
 * What ties WAL to one system: the system identifier chosen at {@code init} and the segment size
 * fixed then. Carried in every segment's long page header; a segment that disagrees belongs to
 * another system and is refused.
 */
public record WalIdentity(long systemId, WalSegmentSize segmentSize) {}
