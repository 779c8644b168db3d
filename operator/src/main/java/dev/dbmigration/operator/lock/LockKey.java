package dev.dbmigration.operator.lock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The advisory lock key of a database's migrations: the first 8 bytes of
 * {@code sha256("dbmigration:" + database + ":" + versionTable)} read as a big-endian signed
 * bigint. Derived from what names the schema's history, never from a host or a resource, so
 * every runner that migrates one database computes the same key: another operator, an app
 * replica's env.py, a person's alembic. In SQL, on the database itself:
 * {@value #SQL_EXPRESSION_ALEMBIC}.
 */
public final class LockKey {

  public static final String PREFIX = "dbmigration:";
  /** The key of the Alembic version table in SQL (PostgreSQL 11 and later have sha256). */
  public static final String SQL_EXPRESSION_ALEMBIC = "('x' || left(encode(sha256(convert_to("
      + "'dbmigration:' || current_database() || ':alembic_version', 'UTF8')), 'hex'), 16))"
      + "::bit(64)::bigint";

  private LockKey() {
  }

  public static long of(String database, String versionTable) {
    byte[] digest = sha256((PREFIX + database + ":" + versionTable)
        .getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
