package org.walden.wire.auth;

import java.io.IOException;
import org.walden.wire.codec.FrontendMessage.PasswordMessage;
import org.walden.wire.codec.MessageWriter;

/**
 * The session's side of an authentication exchange, as {@link ClientAuthentication} needs it:
 * somewhere to write {@code R} messages, and a way to wait for the client's {@code p} answer.
 * Implemented by the session over its socket; by a scripted fake in tests.
 */
public interface AuthConversation {

  MessageWriter writer();

  /**
   * Flushes the writer and reads the client's next message, which must be a PasswordMessage ({@code
   * p}); any other type is a FATAL protocol violation (PostgreSQL: "expected password response, got
   * message type N").
   */
  PasswordMessage readPasswordMessage() throws IOException;
}
