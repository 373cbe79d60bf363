/**
 * Byte-level codec of the v3 protocol.
 *
 * <h2>Purpose</h2>
 *
 * Turns the client's byte stream into frames and {@link org.walden.wire.codec.FrontendMessage}
 * records, and backend messages into bytes, with names exactly as in the protocol documentation.
 *
 * <h2>Threads</h2>
 *
 * None of its own. A {@link org.walden.wire.codec.FrameReader} and a {@link
 * org.walden.wire.codec.MessageWriter} belong to one session and are used by that session's thread
 * only; the decoders are stateless.
 *
 * <h2>Data flow</h2>
 *
 * <pre>
 * socket → BufferedInputStream → FrameReader (type, length, body into a reused buffer)
 *        → FrontendMessages.decode (BodyReader: every read bounds-checked) → FrontendMessage
 * handler → MessageWriter (begin / fields / end back-patches the length) → buffer
 *        → socket on flush() (ReadyForQuery, Flush, COPY start) or when the buffer passes 64 KiB
 * </pre>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>A length below 4, or above the type's limit (PostgreSQL's: 1 GiB − 1 for Q/P/B/F/d/c/f,
 *       65535 for p, 10000 otherwise; 10000 for startup packets), is rejected before any body is
 *       read; the body buffer only grows as bytes actually arrive.
 *   <li>Decoding a body consumes it exactly; anything short, long or inconsistent is a {@link
 *       org.walden.wire.codec.ProtocolViolation} (FATAL 08P01), never another exception. The seeded
 *       fuzz test holds this.
 *   <li>No backend message is ever flushed half-built: {@code flush} refuses while one is open.
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * End of stream between frames is a clean end; inside a frame it is a {@link
 * org.walden.wire.codec.TruncatedMessageException} (the client vanished; nothing is reported).
 */
package org.walden.wire.codec;
