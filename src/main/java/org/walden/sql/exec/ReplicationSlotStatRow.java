package org.walden.sql.exec;

import org.walden.wal.Lsn;

/**
 * One physical slot for {@code pg_replication_slots} (PostgreSQL 15's columns that a physical slot
 * fills; plugin, datoid, database, catalog_xmin and confirmed_flush_lsn are NULL, two_phase false).
 * Null fields are NULLs: {@code activePid} when inactive, {@code xmin}, {@code restartLsn} when
 * nothing is reserved, {@code walStatus} with it, {@code safeWalSize} unless {@code
 * max_slot_wal_keep_size} is set.
 */
public record ReplicationSlotStatRow(
    String slotName,
    boolean temporary,
    boolean active,
    Integer activePid,
    Long xmin,
    Lsn restartLsn,
    String walStatus,
    Long safeWalSize) {}
