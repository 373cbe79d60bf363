package org.walden.wire.session;

import java.io.IOException;
import org.walden.wire.auth.AuthConversation;
import org.walden.wire.codec.FrameReader;
import org.walden.wire.codec.FrontendMessage.PasswordMessage;
import org.walden.wire.codec.FrontendMessages;
import org.walden.wire.codec.MessageWriter;
import org.walden.wire.codec.ProtocolViolation;
import org.walden.wire.codec.TruncatedMessageException;

/** {@link AuthConversation} over the session's socket. Session thread only. */
final class SocketAuthConversation implements AuthConversation {
  private final FrameReader reader;
  private final MessageWriter writer;

  SocketAuthConversation(FrameReader reader, MessageWriter writer) {
    this.reader = reader;
    this.writer = writer;
  }

  @Override
  public MessageWriter writer() {
    return writer;
  }

  @Override
  public PasswordMessage readPasswordMessage() throws IOException {
    writer.flush();
    if (!reader.readMessage()) {
      // psql closes here when it has no password and will ask the user: not an error
      throw new TruncatedMessageException("client closed the connection during authentication");
    }
    if (reader.type() != 'p') {
      throw new ProtocolViolation(
          "expected password response, got message type %d".formatted(reader.type()));
    }
    return (PasswordMessage) FrontendMessages.decode(reader);
  }
}
