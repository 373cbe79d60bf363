package org.walden.replication.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.walden.config.Config;

class WalReceiverConfigTest {

  @Test
  void fromDefaultSettings_matchesPostgresDefaults() {
    WalReceiverConfig c = WalReceiverConfig.from(Config.defaults());
    assertThat(c.slotName()).isEmpty();
    assertThat(c.receiverTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.statusInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.hotStandbyFeedback()).isFalse();
    assertThat(c.conninfo().asMap()).isEmpty();
    assertThat(c).isEqualTo(WalReceiverConfig.defaults(ConnInfo.parse("")));
  }
}
