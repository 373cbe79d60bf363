package org.walden.wire.auth;

import java.util.List;
import java.util.Optional;

/**
 * An immutable, ordered list of hba rules: the whole content of one hba.conf. The first rule that
 * matches a connection decides its authentication method; no match means the connection is refused.
 * Thread-safe (immutable).
 */
public record HbaRules(List<HbaRule> rules) {

  public HbaRules {
    rules = List.copyOf(rules);
  }

  public static HbaRules empty() {
    return new HbaRules(List.of());
  }

  /** The first matching rule, or empty if none matches. */
  public Optional<HbaRule> match(ConnectionRequest req, LocalInterfaces local) {
    for (HbaRule r : rules) {
      if (r.matches(req, local)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  public Optional<HbaRule> match(ConnectionRequest req) {
    return match(req, LocalInterfaces.SYSTEM);
  }
}
