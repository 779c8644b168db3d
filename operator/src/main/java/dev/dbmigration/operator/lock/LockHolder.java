package dev.dbmigration.operator.lock;

import dev.dbmigration.operator.database.Redactor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The {@code lock} mode of the operator's image, the migration pod's native sidecar: logs in as
 * the migration does, waits for the session advisory lock of the database's migrations, then
 * listens on the ready port (the pod's startup probe, so the engine's container starts only
 * now) and holds the lock until it is stopped. The lock is the session's: when the pod ends,
 * or the process dies, PostgreSQL ends the session and the lock goes with it. A session that
 * breaks meanwhile ends the process with status 1 (the kubelet starts it again).
 */
public final class LockHolder {

  static final String APPLICATION_NAME = "dbmigration-lock";
  private static final Driver DRIVER = new Driver();
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final Duration KEEPALIVE = Duration.ofSeconds(5);

  private final LockArguments arguments;
  private final PrintStream out;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Connection session;

  public LockHolder(LockArguments arguments, PrintStream out) {
    this.arguments = arguments;
    this.out = out;
  }

  /**
   * The operator image's entrypoint as this JVM can run it (this java, this classpath): what
   * stands for the image where a local Job runner runs a migration pod's lock sidecar as a
   * process (local mode, the tests).
   */
  public static List<String> entrypointOfThisJvm() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "dev.dbmigration.operator.Main");
  }

  /** Holds the lock until {@link #stop}; 0 when stopped, 1 when the session broke. */
  public int run() throws InterruptedException {
    try {
      return hold();
    } finally {
      ended.countDown();
    }
  }

  /** Waits until {@link #run} has returned, at most {@code atMost}. */
  public boolean awaitEnded(Duration atMost) throws InterruptedException {
    return ended.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
  }

  private int hold() throws InterruptedException {
    long key = arguments.key();
    Connection connection = connect();
    if (connection == null) {
      return 0;
    }
    session = connection;
    try {
      say("waiting for advisory lock " + key + " (" + LockKey.PREFIX + arguments.database() + ":"
          + arguments.versionTable() + ") on " + arguments.host() + ":" + arguments.port());
      long started = System.nanoTime();
      try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
        lock.setLong(1, key);
        lock.execute();
      }
      say("holding advisory lock " + key + " (waited "
          + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms)");
      try (ServerSocket ready = listen()) {
        while (!stop.await(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)) {
          try (Statement ping = connection.createStatement()) {
            ping.execute("SELECT 1");
          }
        }
      }
      return 0;
    } catch (SQLException | IOException e) {
      if (stop.getCount() == 0) {
        return 0;
      }
      say("lost the session, and the lock with it: " + describe(e));
      return 1;
    } finally {
      close(connection);
    }
  }

  /** Ends the session, which releases the lock, and lets {@link #run} return. */
  public void stop() {
    stop.countDown();
    Connection connection = session;
    if (connection != null) {
      close(connection);
      say("ended the session: the advisory lock, if it was held, is released");
    }
  }

  // A database that does not answer yet (a leader restarting) is waited for: the engine's
  // container must not start without the lock.
  private Connection connect() throws InterruptedException {
    while (stop.getCount() > 0) {
      try {
        Connection connection = DRIVER.connect("jdbc:postgresql://", properties());
        if (connection != null) {
          try (Statement setup = connection.createStatement()) {
            // The wait for the lock may be long; a role's timeouts must not cut it.
            setup.execute("SET statement_timeout = 0");
            setup.execute("SET lock_timeout = 0");
          }
          return connection;
        }
      } catch (SQLException e) {
        say("cannot log in to " + arguments.host() + ":" + arguments.port() + " yet ("
            + describe(e) + "); trying again in " + RETRY.toSeconds() + " s");
      }
      stop.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
    return null;
  }

  private Properties properties() {
    Properties p = new Properties();
    PGProperty.PG_HOST.set(p, arguments.host());
    PGProperty.PG_PORT.set(p, arguments.port());
    PGProperty.PG_DBNAME.set(p, arguments.database());
    PGProperty.USER.set(p, arguments.user());
    if (arguments.password() != null) {
      PGProperty.PASSWORD.set(p, arguments.password());
    }
    PGProperty.APPLICATION_NAME.set(p, APPLICATION_NAME);
    PGProperty.CONNECT_TIMEOUT.set(p, 10);
    PGProperty.LOGIN_TIMEOUT.set(p, 10);
    PGProperty.TCP_KEEP_ALIVE.set(p, true);
    return p;
  }

  // The kubelet's startup probe connects to the pod's IP; every interface, then.
  private ServerSocket listen() throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(arguments.readyPort()));
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket probe = server.accept()) {
          probe.shutdownOutput();
        } catch (IOException e) {
          // Closed when the holder stops; a probe that hung up early changes nothing.
        }
      }
    }, "ready-port");
    acceptor.setDaemon(true);
    acceptor.start();
    say("ready on port " + arguments.readyPort());
    return server;
  }

  private String describe(Exception e) {
    List<String> secrets = arguments.password() == null ? List.of()
        : List.of(arguments.password());
    return Redactor.redact(String.valueOf(e.getMessage()), secrets).replace('\n', ' ');
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  private static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing is all that is left to do; a session that will not close ends with the process.
    }
  }
}
