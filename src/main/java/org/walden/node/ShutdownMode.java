package org.walden.node;

import java.util.Locale;

/**
 * PostgreSQL's shutdown modes ({@code pg_ctl stop -m}).
 *
 * <ul>
 *   <li>{@link #SMART}: accept no new connections, wait for sessions to end, then write the
 *       shutdown checkpoint.
 *   <li>{@link #FAST}: end sessions (their open transactions roll back), then write the shutdown
 *       checkpoint. The default of {@code walden stop}, as of {@code pg_ctl stop}.
 *   <li>{@link #IMMEDIATE}: stop at once without a checkpoint; the next start runs crash recovery.
 *       Nothing acknowledged is lost: it is all in the WAL.
 * </ul>
 */
public enum ShutdownMode {
  SMART,
  FAST,
  IMMEDIATE;

  public static ShutdownMode parse(String s) {
    String v = s.toLowerCase(Locale.ROOT);
    for (ShutdownMode m : values()) {
      if (m.name().toLowerCase(Locale.ROOT).startsWith(v) && !v.isEmpty()) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unrecognized shutdown mode \"" + s + "\"; use smart, fast or immediate");
  }
}
