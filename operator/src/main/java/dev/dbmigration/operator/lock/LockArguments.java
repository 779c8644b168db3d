package dev.dbmigration.operator.lock;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code lock --version-table=TABLE --ready-port=PORT}, with where and as whom to connect from
 * the environment ({@value #HOST}, {@value #PORT}, {@value #DATABASE}, {@value #USER},
 * {@value #PASSWORD}): the Job sets them as it sets the engine's, the credentials by
 * secretKeyRef, so no argument ever carries one.
 */
public record LockArguments(String host, int port, String database, String user,
    String password, String versionTable, int readyPort) {

  public static final String HOST = "DBMIGRATION_LOCK_HOST";
  public static final String PORT = "DBMIGRATION_LOCK_PORT";
  public static final String DATABASE = "DBMIGRATION_LOCK_DATABASE";
  public static final String USER = "DBMIGRATION_LOCK_USER";
  public static final String PASSWORD = "DBMIGRATION_LOCK_PASSWORD";
  public static final String USAGE = "usage: lock --version-table=TABLE --ready-port=PORT"
      + " (connection from " + HOST + ", " + PORT + ", " + DATABASE + ", " + USER + ", "
      + PASSWORD + ")";
  private static final Pattern TABLE = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

  public static LockArguments parse(String[] args, Map<String, String> env) {
    String table = null;
    Integer readyPort = null;
    for (String arg : args) {
      if (arg.startsWith("--version-table=")) {
        table = arg.substring("--version-table=".length());
      } else if (arg.startsWith("--ready-port=")) {
        readyPort = number(arg.substring("--ready-port=".length()), "--ready-port");
      } else {
        throw new IllegalArgumentException("unexpected argument " + arg + "\n" + USAGE);
      }
    }
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("--version-table= names the engine's version table\n"
          + USAGE);
    }
    if (readyPort == null || readyPort < 1 || readyPort > 65535) {
      throw new IllegalArgumentException("--ready-port= is a TCP port\n" + USAGE);
    }
    int port = number(required(env, PORT), PORT);
    return new LockArguments(required(env, HOST), port, required(env, DATABASE),
        required(env, USER), env.get(PASSWORD), table, readyPort);
  }

  public long key() {
    return LockKey.of(database, versionTable);
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set\n" + USAGE);
    }
    return value;
  }

  private static int number(String text, String what) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " is not a number\n" + USAGE);
    }
  }

  /** Everything but the password. */
  @Override
  public String toString() {
    return user + "@" + host + ":" + port + "/" + database + " (" + versionTable + ")";
  }
}
