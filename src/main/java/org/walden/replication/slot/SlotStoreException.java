package org.walden.replication.slot;

/**
 * The slots could not be restored at start: a state file is corrupt or unreadable, or there are
 * more slots than {@code max_replication_slots}. Start-up stops with the message and the hint.
 */
public final class SlotStoreException extends Exception {
  private final String hint;

  SlotStoreException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }
}
