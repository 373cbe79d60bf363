/**
 * Durable file operations: the one audited place where Walden makes changes to files survive a
 * crash ({@link org.walden.fs.DurableFiles}), over an injectable file layer ({@link
 * org.walden.fs.FileIo}) that tests replace with fault-injecting and crash-simulating ones.
 *
 * <h2>Rule</h2>
 *
 * A file whose old content must not be lost is never rewritten in place: write a temporary file,
 * force it, rename it over the target, force the target and its directory (PostgreSQL's {@code
 * durable_rename}). A crash between any two of these steps leaves either the whole old content or
 * the whole new content under the target's name.
 *
 * <h2>Threads and state</h2>
 *
 * No threads and no shared mutable state; every method may be called from any thread.
 *
 * <h2>Failure</h2>
 *
 * A failed fsync is reported, never retried: the kernel may have discarded the dirty pages, so a
 * second fsync could succeed without the data being on disk. Callers holding WAL stop the server.
 */
package org.walden.fs;
