package org.walden.wire.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hba rules in force, reloadable. A reload parses the whole file into a new immutable {@link
 * HbaRules} and swaps it in with one volatile write, so a login sees either the old rules or the
 * new ones, never a mix. A file that fails to parse leaves the old rules in force (PostgreSQL does
 * the same on SIGHUP).
 *
 * <p>Thread-safe: {@code rules} is written by whoever calls {@link #reload} (the node's reload
 * handler), read by session threads.
 */
public final class HbaConfig {
  private final Path file; // null when built from fixed rules
  private volatile HbaRules rules;

  private HbaConfig(Path file, HbaRules rules) {
    this.file = file;
    this.rules = rules;
  }

  /** Loads and parses {@code file}. */
  public static HbaConfig load(Path file) throws IOException, HbaParseException {
    return new HbaConfig(file, read(file));
  }

  /** Fixed rules that {@link #reload} cannot change (tests, embedded use). */
  public static HbaConfig of(HbaRules rules) {
    return new HbaConfig(null, rules);
  }

  /** Rules from text, for tests and embedded use. */
  public static HbaConfig ofText(String text) throws HbaParseException {
    return of(HbaParser.parse(text, "hba.conf"));
  }

  public HbaRules current() {
    return rules;
  }

  /** Re-reads the file; on any error the current rules stay and the error is thrown. */
  public void reload() throws IOException, HbaParseException {
    if (file == null) {
      return;
    }
    rules = read(file);
  }

  /** Replaces the rules directly (atomic swap). */
  public void replace(HbaRules newRules) {
    rules = newRules;
  }

  private static HbaRules read(Path file) throws IOException, HbaParseException {
    return HbaParser.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }
}
