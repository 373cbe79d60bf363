/**
 * The {@code walden} command line (picocli): {@code init}, {@code start}, {@code stop}, {@code
 * status}, {@code clone}, {@code cluster}, {@code basebackup}. Talks to {@code org.walden.node},
 * except {@code basebackup}, a network client ({@code org.walden.replication.backup.BackupClient})
 * that takes a base backup of a running server like pg_basebackup.
 *
 * <p>{@code start} runs the server in the foreground and installs the signal handlers: SIGTERM
 * stops in the mode {@code walden stop} wrote to {@code postmaster.stopmode} (smart for a plain
 * kill), SIGINT stops fast, SIGHUP reloads. {@code stop} and {@code status} find the server through
 * {@code postmaster.pid}. Exit codes follow pg_ctl where it has them.
 */
package org.walden.cli;
