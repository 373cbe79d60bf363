package org.walden.sql.exec;

/**
 * One running base backup, as a row of {@code pg_stat_progress_basebackup} (PostgreSQL 15's columns
 * in order).
 *
 * @param pid the walsender's process id
 * @param phase {@code waiting for checkpoint to finish}, {@code streaming database files}, …
 * @param backupTotal estimated bytes, or null when the client did not ask for PROGRESS
 * @param backupStreamed bytes sent so far
 * @param tablespacesTotal tablespaces to send (always 1: the main directory)
 * @param tablespacesStreamed tablespaces sent
 */
public record BaseBackupProgressRow(
    int pid,
    String phase,
    Long backupTotal,
    long backupStreamed,
    long tablespacesTotal,
    long tablespacesStreamed) {}
