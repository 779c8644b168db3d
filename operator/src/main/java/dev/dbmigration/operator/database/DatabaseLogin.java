package dev.dbmigration.operator.database;

import java.util.Objects;

/**
 * Where and as whom to log in to PostgreSQL. The password stays out of {@link #toString()}, so a
 * login can go into log lines and messages as it is.
 */
public record DatabaseLogin(String host, int port, String database, String username,
    String password) {

  public DatabaseLogin {
    requireText(host, "host");
    requireText(database, "database");
    requireText(username, "username");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, got " + port);
    }
  }

  /** {@code host:port}, with an IPv6 literal in brackets so the port stays readable. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@code user@host:port/db}: everything but the password. */
  @Override
  public String toString() {
    return username + "@" + address() + "/" + database;
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
