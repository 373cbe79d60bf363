/**
 * The {@code walden} command line (picocli): {@code init}, {@code start}, {@code stop}, {@code
 * status}. Talks only to {@code org.walden.node}.
 *
 * <p>{@code start} runs the server in the foreground and installs the signal handlers: SIGTERM
 * stops in the mode {@code walden stop} wrote to {@code postmaster.stopmode} (smart for a plain
 * kill), SIGINT stops fast, SIGHUP reloads. {@code stop} and {@code status} find the server through
 * {@code postmaster.pid}. Exit codes follow pg_ctl where it has them.
 */
package org.walden.cli;
