package org.walden.replication.receiver;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.walden.replication.receiver.StreamMessage.FromPrimary;
import org.walden.replication.receiver.StreamMessage.ToPrimary;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/** A primary played by the test: it queues what the primary "sends" and records what we send. */
final class ScriptedTransport implements WalReceiverTransport {

  final BlockingQueue<FromPrimary> inbound = new LinkedBlockingQueue<>();
  final List<ToPrimary> sent = new CopyOnWriteArrayList<>();
  volatile Lsn requestedStart;
  volatile TimelineId requestedTimeline;
  volatile boolean disconnected;
  volatile IOException failConnect;

  @Override
  public PrimaryInfo connect(
      ConnInfo conninfo, Lsn startPoint, TimelineId timeline, Optional<String> slotName)
      throws IOException {
    if (failConnect != null) {
      throw failConnect;
    }
    requestedStart = startPoint;
    requestedTimeline = timeline;
    return new PrimaryInfo(42L, timeline, Lsn.parse("1/0"), "scripted", 1);
  }

  @Override
  public Optional<FromPrimary> receive(Duration timeout) {
    try {
      return Optional.ofNullable(inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void send(ToPrimary message) {
    sent.add(message);
  }

  @Override
  public void disconnect() {
    disconnected = true;
  }

  <T extends ToPrimary> List<T> sentOf(Class<T> type) {
    return sent.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
