package org.walden.replication.receiver;

import java.io.IOException;

/**
 * The client side of authentication failed: no password available, an unsupported method, or a
 * server that did not prove it knows the password. (A password the server rejects arrives as a
 * {@link PrimaryErrorException} with SQLSTATE 28P01.)
 */
public final class AuthenticationFailedException extends IOException {
  public AuthenticationFailedException(String message) {
    super(message);
  }
}
