package dev.dbmigration.operator.local;

import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The PostgreSQL local mode migrates: the one behind {@code --jdbc-url}, or an embedded server.
 * Each run gets a fresh database owned by a fresh role, the way a PR environment gets one.
 */
final class LocalDatabase implements AutoCloseable {

  private final EmbeddedPostgres embedded;
  private final String host;
  private final int port;
  private final String adminUser;
  private final String adminPassword;
  private final String adminDatabase;

  private LocalDatabase(EmbeddedPostgres embedded, String host, int port, String adminUser,
      String adminPassword, String adminDatabase) {
    this.embedded = embedded;
    this.host = host;
    this.port = port;
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
    this.adminDatabase = adminDatabase;
  }

  static LocalDatabase start(String jdbcUrl) throws IOException {
    if (jdbcUrl != null) {
      Properties props = Driver.parseURL(jdbcUrl, new Properties());
      if (props == null) {
        throw new IllegalArgumentException("--jdbc-url is not a PostgreSQL JDBC URL");
      }
      return new LocalDatabase(null, props.getProperty("PGHOST", "127.0.0.1"),
          Integer.parseInt(props.getProperty("PGPORT", "" + DatabaseSpec.DEFAULT_PORT)),
          props.getProperty("user", "postgres"), props.getProperty("password", ""),
          props.getProperty("PGDBNAME", "postgres"));
    }
    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
    return new LocalDatabase(pg, "127.0.0.1", pg.getPort(), "postgres", "postgres", "postgres");
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** Creates database and role {@code name}; returns the role's generated password. */
  String createDatabase(String name) throws SQLException {
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://" + host + ":" + port + "/" + adminDatabase, adminUser, adminPassword);
         Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
      s.execute("CREATE DATABASE " + name + " OWNER " + name);
    }
    return password;
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
