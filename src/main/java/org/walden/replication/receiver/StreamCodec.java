package org.walden.replication.receiver;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.walden.replication.receiver.StreamMessage.FromPrimary;
import org.walden.replication.receiver.StreamMessage.HotStandbyFeedback;
import org.walden.replication.receiver.StreamMessage.PrimaryKeepalive;
import org.walden.replication.receiver.StreamMessage.StandbyStatusUpdate;
import org.walden.replication.receiver.StreamMessage.ToPrimary;
import org.walden.replication.receiver.StreamMessage.XLogData;
import org.walden.wal.Lsn;

/**
 * Encodes and decodes the payloads of CopyData messages in a physical replication stream (the part
 * after the CopyData frame: a sub-type byte, then the fields, big-endian). Both directions are
 * implemented so that tests can play either side.
 */
public final class StreamCodec {

  static final int XLOG_DATA_HEADER = 25;
  static final int KEEPALIVE_LENGTH = 18;
  static final int STATUS_UPDATE_LENGTH = 34;
  static final int FEEDBACK_LENGTH = 25;

  private StreamCodec() {}

  /** The CopyData payload of a standby message. */
  public static byte[] encode(ToPrimary m) {
    return switch (m) {
      case StandbyStatusUpdate r -> {
        ByteBuffer b = ByteBuffer.allocate(STATUS_UPDATE_LENGTH);
        b.put((byte) 'r');
        b.putLong(r.write().value()).putLong(r.flush().value()).putLong(r.apply().value());
        b.putLong(r.clientTime()).put((byte) (r.replyRequested() ? 1 : 0));
        yield b.array();
      }
      case HotStandbyFeedback h -> {
        ByteBuffer b = ByteBuffer.allocate(FEEDBACK_LENGTH);
        b.put((byte) 'h').putLong(h.clientTime());
        b.putInt(h.xmin())
            .putInt(h.xminEpoch())
            .putInt(h.catalogXmin())
            .putInt(h.catalogXminEpoch());
        yield b.array();
      }
    };
  }

  /** Decodes a standby message (the primary's side; used by tests). */
  public static ToPrimary decodeToPrimary(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    if (payload.length == 0) {
      throw new ProtocolViolationException("empty CopyData message");
    }
    byte type = b.get();
    switch (type) {
      case 'r' -> {
        requireLength(payload, STATUS_UPDATE_LENGTH, "standby status update");
        return new StandbyStatusUpdate(
            Lsn.of(b.getLong()),
            Lsn.of(b.getLong()),
            Lsn.of(b.getLong()),
            b.getLong(),
            b.get() != 0);
      }
      case 'h' -> {
        requireLength(payload, FEEDBACK_LENGTH, "hot standby feedback");
        return new HotStandbyFeedback(b.getLong(), b.getInt(), b.getInt(), b.getInt(), b.getInt());
      }
      default ->
          throw new ProtocolViolationException(
              "unexpected message type \"" + (char) type + "\" from the standby");
    }
  }

  /** Decodes a message of the primary: XLogData or primary keepalive. */
  public static FromPrimary decodeFromPrimary(byte[] payload) {
    if (payload.length == 0) {
      throw new ProtocolViolationException("empty CopyData message");
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    byte type = b.get();
    switch (type) {
      case 'w' -> {
        if (payload.length < XLOG_DATA_HEADER) {
          throw new ProtocolViolationException("invalid WAL message received from primary");
        }
        Lsn start = Lsn.of(b.getLong());
        Lsn end = Lsn.of(b.getLong());
        long sendTime = b.getLong();
        return new XLogData(
            start, end, sendTime, Arrays.copyOfRange(payload, XLOG_DATA_HEADER, payload.length));
      }
      case 'k' -> {
        requireLength(payload, KEEPALIVE_LENGTH, "keepalive");
        return new PrimaryKeepalive(Lsn.of(b.getLong()), b.getLong(), b.get() != 0);
      }
      default ->
          throw new ProtocolViolationException(
              "invalid replication message type "
                  + (type & 0xFF)
                  + " (a CopyData message of "
                  + payload.length
                  + " bytes)");
    }
  }

  /** Encodes a message of the primary (used by tests playing the primary). */
  public static byte[] encode(FromPrimary m) {
    return switch (m) {
      case XLogData w -> {
        ByteBuffer b = ByteBuffer.allocate(XLOG_DATA_HEADER + w.data().length);
        b.put((byte) 'w').putLong(w.dataStart().value()).putLong(w.walEnd().value());
        b.putLong(w.sendTime()).put(w.data());
        yield b.array();
      }
      case PrimaryKeepalive k -> {
        ByteBuffer b = ByteBuffer.allocate(KEEPALIVE_LENGTH);
        b.put((byte) 'k').putLong(k.walEnd().value()).putLong(k.sendTime());
        b.put((byte) (k.replyRequested() ? 1 : 0));
        yield b.array();
      }
      case StreamMessage.EndOfStream e ->
          throw new IllegalArgumentException("end of stream is not a CopyData message");
    };
  }

  private static void requireLength(byte[] payload, int length, String what) {
    if (payload.length != length) {
      throw new ProtocolViolationException(
          "invalid " + what + " message: " + payload.length + " bytes, expected " + length);
    }
  }
}
