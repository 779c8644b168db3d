package dev.dbmigration.operator.testing;

import dev.dbmigration.operator.localkit.LocalPostgres;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The one way database tests get a real PostgreSQL, the local kit's: {@code TEST_JDBC_URL} if
 * set (hack/test.sh points it at a throwaway Debian server it starts), else zonky's embedded
 * PostgreSQL. One server per test JVM; each test asks for its own database and role.
 */
public final class TestPostgres extends LocalPostgres {

  private static TestPostgres shared;

  private final String source;

  private TestPostgres(LocalPostgres server, String source) {
    super(server);
    this.source = source;
  }

  /** The server shared by this test JVM, started on first use. */
  public static synchronized TestPostgres get() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  private static TestPostgres start() {
    String url = System.getenv("TEST_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return new TestPostgres(LocalPostgres.fromJdbcUrl(url), "TEST_JDBC_URL");
    }
    try {
      TestPostgres embedded = new TestPostgres(LocalPostgres.embedded(), "embedded");
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "postgres-stop"));
      return embedded;
    } catch (RuntimeException e) {
      Prerequisites.missing("a PostgreSQL server (TEST_JDBC_URL unset, embedded failed: "
          + e.getMessage() + ")");
      throw new IllegalStateException(e);
    }
  }

  /** The superuser, e.g. for a replication connection (see TestStandby). */
  public String adminUser() {
    return user();
  }

  public String adminPassword() {
    return password();
  }

  /** Where this server came from: TEST_JDBC_URL or embedded. */
  public String source() {
    return source;
  }

  public Connection connectAsAdmin() throws SQLException {
    return connect();
  }

  /** The administrator in another database: reads that do not depend on a role's password. */
  public Connection connectAsAdmin(String database) throws SQLException {
    return connectTo(database);
  }

  /**
   * The Alembic revision of {@code database} by SQL, read as the administrator (so it does not
   * depend on the role's password, which some tests rotate).
   */
  public String alembicRevision(String database) throws SQLException {
    return alembicRevision(connectTo(database));
  }
}
