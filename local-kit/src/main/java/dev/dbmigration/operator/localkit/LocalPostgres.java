package dev.dbmigration.operator.localkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.Driver;

/**
 * A PostgreSQL server on this machine: the one a JDBC URL names, or zonky's embedded one. Its
 * login (the URL's user, or the embedded superuser) makes databases and roles for tests and for
 * local mode's throwaway runs, and reads what Alembic left.
 */
public class LocalPostgres implements AutoCloseable {

  private final EmbeddedPostgres embedded;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String database;

  protected LocalPostgres(EmbeddedPostgres embedded, String host, int port, String user,
      String password, String database) {
    this.embedded = embedded;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.database = database;
  }

  /** The same server, for a subclass that adds to it (the tests' shared one). */
  protected LocalPostgres(LocalPostgres server) {
    this(server.embedded, server.host, server.port, server.user, server.password,
        server.database);
  }

  /** The server, login and database a {@code jdbc:postgresql://} URL names. */
  public static LocalPostgres fromJdbcUrl(String url) {
    Properties props = url == null ? null : Driver.parseURL(url, new Properties());
    if (props == null) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT"
          + "/DATABASE?user=...&password=...)");
    }
    return new LocalPostgres(null, props.getProperty("PGHOST", "127.0.0.1"),
        Integer.parseInt(props.getProperty("PGPORT", "5432")),
        props.getProperty("user", System.getProperty("user.name")),
        props.getProperty("password", ""), props.getProperty("PGDBNAME", "postgres"));
  }

  /** A throwaway embedded server (zonky's binaries), gone when closed. */
  public static LocalPostgres embedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      return new LocalPostgres(pg, "127.0.0.1", pg.getPort(), "postgres", "postgres",
          "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The login this server was reached with (a superuser for the embedded one). */
  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The database the URL named. */
  public String database() {
    return database;
  }

  public String jdbcUrl(String db) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + db;
  }

  public Connection connect() throws SQLException {
    return connectTo(database);
  }

  /** This login in another database of the server. */
  public Connection connectTo(String db) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(db), user, password);
  }

  public Connection connect(Credentials credentials) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(credentials.database()), credentials.username(),
        credentials.password());
  }

  /** A fresh database owned by a fresh role, so runs never see each other's schema. */
  public Credentials createDatabase(String prefix) throws SQLException {
    return createDatabase(prefix, "pw-" + UUID.randomUUID());
  }

  /** The same with a password of the caller's choosing (no single quotes). */
  public Credentials createDatabase(String prefix, String rolePassword) throws SQLException {
    if (rolePassword.indexOf('\'') >= 0) {
      throw new IllegalArgumentException("a password with a single quote is not supported here");
    }
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String base = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    String name = (base.length() > 40 ? base.substring(0, 40) : base) + "_" + suffix;
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + rolePassword + "'");
      s.execute("CREATE DATABASE " + name + " OWNER " + name);
    }
    return new Credentials(name, name, rolePassword);
  }

  /** Gives the role of {@code credentials} a new password, as a rotation would. */
  public Credentials changePassword(Credentials credentials, String rolePassword)
      throws SQLException {
    if (rolePassword.indexOf('\'') >= 0) {
      throw new IllegalArgumentException("a password with a single quote is not supported here");
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("ALTER ROLE " + credentials.username() + " PASSWORD '" + rolePassword + "'");
    }
    return new Credentials(credentials.database(), credentials.username(), rolePassword);
  }

  /**
   * The Alembic revision a database holds, through {@code connection} (which it closes):
   * alembic_version's rows, sorted and comma-separated, or "base" when it has none or does not
   * exist yet.
   */
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

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Login of one database. */
  public record Credentials(String database, String username, String password) {
  }
}
