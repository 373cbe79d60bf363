package org.walden.storage.catalog;

/**
 * A role ({@code pg_authid} row): name, attributes, and the SCRAM-SHA-256 verifier text ({@code
 * SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}) or null for no password. A catalog
 * object like a table, so roles are WAL-logged, replicated and checkpointed. Immutable.
 */
public record Role(
    int oid,
    String name,
    boolean superuser,
    boolean login,
    boolean replication,
    String scramVerifier) {}
