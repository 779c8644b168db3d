package dev.dbmigration.operator.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.Driver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The one way database tests get a real PostgreSQL: {@code TEST_JDBC_URL} if set (CI points it at
 * the Debian server that .ci/run starts), else a Testcontainers PostgreSQL where a Docker engine
 * is reachable, else zonky's embedded PostgreSQL. Each test asks for its own database and role.
 */
public final class TestPostgres {

  private static TestPostgres shared;

  private final String host;
  private final int port;
  private final String adminUser;
  private final String adminPassword;
  private final String adminDatabase;
  private final String source;

  private TestPostgres(String host, int port, String adminUser, String adminPassword,
      String adminDatabase, String source) {
    this.host = host;
    this.port = port;
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
    this.adminDatabase = adminDatabase;
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
      return fromJdbcUrl(url);
    }
    if (dockerAvailable()) {
      PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:15-alpine");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "postgres-stop"));
      return new TestPostgres(container.getHost(), container.getFirstMappedPort(),
          container.getUsername(), container.getPassword(), container.getDatabaseName(),
          "testcontainers");
    }
    try {
      EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded), "postgres-stop"));
      return new TestPostgres("127.0.0.1", embedded.getPort(), "postgres", "postgres", "postgres",
          "embedded");
    } catch (IOException | RuntimeException e) {
      Prerequisites.missing("a PostgreSQL server (TEST_JDBC_URL unset, no Docker, embedded failed: "
          + e.getMessage() + ")");
      throw new IllegalStateException(e);
    }
  }

  static TestPostgres fromJdbcUrl(String url) {
    Properties props = Driver.parseURL(url, new Properties());
    if (props == null) {
      throw new IllegalArgumentException("TEST_JDBC_URL is not a PostgreSQL JDBC URL");
    }
    return new TestPostgres(props.getProperty("PGHOST", "127.0.0.1"),
        Integer.parseInt(props.getProperty("PGPORT", "5432")),
        props.getProperty("user", "postgres"), props.getProperty("password", ""),
        props.getProperty("PGDBNAME", "postgres"), "TEST_JDBC_URL");
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static void closeQuietly(EmbeddedPostgres embedded) {
    try {
      embedded.close();
    } catch (IOException ignored) {
      // the JVM is exiting; nothing left to clean up for
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The superuser, e.g. for a replication connection (see TestStandby). */
  public String adminUser() {
    return adminUser;
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** Where this server came from: TEST_JDBC_URL, testcontainers or embedded. */
  public String source() {
    return source;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public Connection connectAsAdmin() throws SQLException {
    return connectAsAdmin(adminDatabase);
  }

  /** The administrator in another database: reads that do not depend on a role's password. */
  public Connection connectAsAdmin(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), adminUser, adminPassword);
  }

  public Connection connect(Credentials credentials) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(credentials.database()), credentials.username(),
        credentials.password());
  }

  /**
   * The Alembic revision of {@code database} by SQL, read as the administrator (so it does not
   * depend on the role's password, which some tests rotate): alembic_version's rows, sorted and
   * comma-separated, or "base" when it has none or does not exist yet.
   */
  public String alembicRevision(String database) throws SQLException {
    return alembicRevision(connectAsAdmin(database));
  }

  /** The same through {@code connection} (any server, a standby too), which it closes. */
  public static String alembicRevision(Connection connection) throws SQLException {
    try (connection; Statement s = connection.createStatement()) {
      try (ResultSet exists = s.executeQuery("SELECT to_regclass('alembic_version') IS NOT NULL")) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return "base";
        }
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version ORDER BY 1")) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows.isEmpty() ? "base" : String.join(",", rows);
    }
  }

  /** A fresh database owned by a fresh role, so tests never see each other's schema. */
  public Credentials createDatabase(String prefix) throws SQLException {
    return createDatabase(prefix, "pw-" + UUID.randomUUID());
  }

  /** The same with a password of the test's choosing (no single quotes). */
  public Credentials createDatabase(String prefix, String password) throws SQLException {
    if (password.indexOf('\'') >= 0) {
      throw new IllegalArgumentException("a password with a single quote is not supported here");
    }
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String name = (prefix + "_" + suffix).toLowerCase(java.util.Locale.ROOT);
    try (Connection c = connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
      s.execute("CREATE DATABASE " + name + " OWNER " + name);
    }
    return new Credentials(name, name, password);
  }

  /** Gives the role of {@code credentials} a new password, as a rotation would. */
  public Credentials changePassword(Credentials credentials, String password) throws SQLException {
    if (password.indexOf('\'') >= 0) {
      throw new IllegalArgumentException("a password with a single quote is not supported here");
    }
    try (Connection c = connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("ALTER ROLE " + credentials.username() + " PASSWORD '" + password + "'");
    }
    return new Credentials(credentials.database(), credentials.username(), password);
  }

  /** Login of one test database. */
  public record Credentials(String database, String username, String password) {
  }
}
