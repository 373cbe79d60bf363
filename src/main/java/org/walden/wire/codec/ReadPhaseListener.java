package org.walden.wire.codec;

/**
 * Told by {@link FrameReader} when it starts and finishes reading one frame, so the owner of the
 * socket can bound how long a half-sent message may stall (a client is allowed to stay idle between
 * messages for as long as it likes, but not to stop in the middle of one).
 *
 * <p>Called on the reading thread only.
 */
public interface ReadPhaseListener {
  ReadPhaseListener NONE =
      new ReadPhaseListener() {
        @Override
        public void messageStarted() {}

        @Override
        public void messageFinished() {}
      };

  /** The first byte of a frame has arrived; the rest must follow promptly. */
  void messageStarted();

  /** The frame is complete; the reader goes back to waiting for the next one. */
  void messageFinished();
}
