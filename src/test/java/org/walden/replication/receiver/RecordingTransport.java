package org.walden.replication.receiver;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.walden.replication.receiver.StreamMessage.FromPrimary;
import org.walden.replication.receiver.StreamMessage.ToPrimary;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/** Wraps a transport and records, in order, every message received and sent. */
final class RecordingTransport implements WalReceiverTransport {

  /** One message and its direction. */
  record Event(boolean received, StreamMessage message) {}

  private final WalReceiverTransport inner;
  final List<Event> events = new CopyOnWriteArrayList<>();

  RecordingTransport(WalReceiverTransport inner) {
    this.inner = inner;
  }

  @Override
  public PrimaryInfo connect(
      ConnInfo conninfo, Lsn startPoint, TimelineId timeline, Optional<String> slotName)
      throws IOException {
    return inner.connect(conninfo, startPoint, timeline, slotName);
  }

  @Override
  public Optional<FromPrimary> receive(Duration timeout) {
    Optional<FromPrimary> m = inner.receive(timeout);
    m.ifPresent(x -> events.add(new Event(true, x)));
    return m;
  }

  @Override
  public void send(ToPrimary message) throws IOException {
    inner.send(message);
    events.add(new Event(false, message));
  }

  @Override
  public void disconnect() {
    inner.disconnect();
  }
}
