package dev.dbmigration.operator.database;

import dev.dbmigration.operator.api.v1alpha1.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs in to a database and reads which schema revision it is at, and whether it is a standby.
 * Every step is bounded in time, so a probe of an unreachable database costs seconds, not a
 * reconcile thread; and whatever goes wrong comes back as an {@link Probe.Unreachable} with a
 * reason fit for status, never as an exception.
 */
public final class RevisionReader {

  static final String APPLICATION_NAME = "database-migration-operator";

  private static final Logger LOG = LoggerFactory.getLogger(RevisionReader.class);

  // Our own driver instance: DriverManager would hand the URL to whichever registered driver
  // claims it first and mix in its JVM-wide login timeout.
  private static final Driver DRIVER = new Driver();
  // Host, port and database travel as properties, so the URL holds nothing that needs escaping.
  private static final String URL = "jdbc:postgresql://";

  private final Timeouts timeouts;

  public RevisionReader() {
    this(Timeouts.DEFAULTS);
  }

  public RevisionReader(Timeouts timeouts) {
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  /** Logs in as {@code login} and reads the version table of {@code engine} (null: Alembic). */
  public Probe probe(DatabaseLogin login, Engine engine) {
    return probe(login, ConnectionTls.DRIVER_DEFAULT,
        Optional.of(VersionTable.forEngine(engine)));
  }

  /**
   * Logs in as {@code login} over {@code tls} and reads the revision from {@code source} (empty:
   * only whether the database is writable).
   */
  public Probe probe(DatabaseLogin login, ConnectionTls tls, Optional<RevisionSource> source) {
    RevisionSource table = source.orElse(null);
    LOG.debug("probing {} for the revision in {}", login,
        table == null ? "no table" : table.describe());
    long started = System.nanoTime();
    Connection connection;
    try {
      connection = open(login, tls);
    } catch (SQLException | RuntimeException e) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      return unreachable(login, e,
          UnreachableReason.whileConnecting(e, login, timeouts, elapsed),
          tls.mode() != null && UnreachableReason.isTls(e));
    }
    try {
      Probe.Reachable reachable = read(new JdbcSession(connection), table, timeouts);
      LOG.debug("{} is at revision {}{}", login, reachable.revisionText().orElse("(not read)"),
          reachable.inRecovery() ? " (in recovery)" : "");
      return reachable;
    } catch (SQLException | RuntimeException e) {
      return unreachable(login, e, UnreachableReason.whileQuerying(e, login, timeouts), false);
    } finally {
      close(connection, login);
    }
  }

  /** A session as the probe uses it: bounded, read-only, named. */
  Connection open(DatabaseLogin login) throws SQLException {
    return open(login, ConnectionTls.DRIVER_DEFAULT);
  }

  Connection open(DatabaseLogin login, ConnectionTls tls) throws SQLException {
    Properties properties = connectionProperties(login, timeouts);
    tlsProperties(tls, properties);
    Connection connection = DRIVER.connect(URL, properties);
    if (connection == null) {
      // JDBC's way of saying "not my URL"; ours is fixed, so only a changed driver gets here.
      throw new SQLException("the PostgreSQL driver did not accept " + URL);
    }
    return connection;
  }

  /** The probe's queries, apart from JDBC so that a test can answer them; no table: none. */
  static Probe.Reachable read(Session session, RevisionSource table, Timeouts timeouts)
      throws SQLException {
    // The socket timeout alone would leave a slow query running on the server; statement_timeout
    // makes the server stop it, e.g. when a migration holds a lock on the version table.
    session.execute("SET statement_timeout = " + timeouts.statementMillis());
    boolean inRecovery = session.queryBoolean("SELECT pg_is_in_recovery()");
    if (table == null) {
      return new Probe.Reachable(inRecovery, null);
    }
    if (!session.queryBoolean(table.existsQuery())) {
      return new Probe.Reachable(inRecovery, Revision.base());
    }
    return new Probe.Reachable(inRecovery, table.fold(session.queryStrings(table.revisionQuery())));
  }

  static Properties connectionProperties(DatabaseLogin login, Timeouts timeouts) {
    Properties properties = new Properties();
    PGProperty.PG_HOST.set(properties, login.host());
    PGProperty.PG_PORT.set(properties, login.port());
    PGProperty.PG_DBNAME.set(properties, login.database());
    PGProperty.USER.set(properties, login.username());
    if (login.password() != null) {
      PGProperty.PASSWORD.set(properties, login.password());
    }
    PGProperty.APPLICATION_NAME.set(properties, APPLICATION_NAME);
    // The login timeout alone would abandon a hanging attempt but leave the driver's thread
    // behind, still waiting; the connect and socket timeouts end that thread too.
    PGProperty.CONNECT_TIMEOUT.set(properties, timeouts.connectSeconds());
    PGProperty.LOGIN_TIMEOUT.set(properties, timeouts.loginSeconds());
    PGProperty.SOCKET_TIMEOUT.set(properties, timeouts.socketSeconds());
    // "always" makes the driver send SET SESSION CHARACTERISTICS ... READ ONLY; the default mode
    // would only mark transactions read-only, and the probe runs in autocommit.
    PGProperty.READ_ONLY.set(properties, true);
    PGProperty.READ_ONLY_MODE.set(properties, "always");
    return properties;
  }

  /**
   * sslmode as the resource asks; for verify-ca and verify-full the CA bundle goes to
   * {@link CaBundleSslFactory} in memory. The other modes check no certificate, which pgjdbc's
   * own factory does without one.
   */
  static void tlsProperties(ConnectionTls tls, Properties properties) {
    if (tls.mode() == null) {
      return;
    }
    PGProperty.SSL_MODE.set(properties, tls.mode().value());
    if (tls.ca() != null) {
      PGProperty.SSL_FACTORY.set(properties, CaBundleSslFactory.class.getName());
      properties.setProperty(CaBundleSslFactory.CA_PROPERTY, tls.ca().pem());
    }
  }

  private static Probe.Unreachable unreachable(DatabaseLogin login, Exception failure,
      String reason, boolean definite) {
    // One line, as status conditions and event messages read best.
    String redacted = Redactor.redact(reason, secretsOf(login)).replace('\n', ' ');
    // The exception itself stays out of the log: its text is the driver's, not redacted.
    LOG.debug("{} unreachable ({}): {}", login, failure.getClass().getSimpleName(), redacted);
    return new Probe.Unreachable(redacted, definite);
  }

  private static List<String> secretsOf(DatabaseLogin login) {
    return login.password() == null ? List.of() : List.of(login.password());
  }

  private static void close(Connection connection, DatabaseLogin login) {
    try {
      connection.close();
    } catch (SQLException e) {
      // The probe's answer is already known; a failed goodbye does not change it.
      LOG.debug("closing the session with {} failed: {}", login, e.getClass().getSimpleName());
    }
  }

  /**
   * How long each step of a probe may take. The driver counts whole seconds, so the connect, login
   * and socket timeouts are rounded up to at least 1 s; zero would mean "wait forever" to it.
   *
   * @param connect the TCP handshake
   * @param login everything up to an open session: handshake, TLS, authentication
   * @param socket any single wait for the server's answer
   * @param statement any single query, enforced by the server
   */
  public record Timeouts(Duration connect, Duration login, Duration socket, Duration statement) {

    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5));

    public Timeouts {
      requirePositive(connect, "connect");
      requirePositive(login, "login");
      requirePositive(socket, "socket");
      requirePositive(statement, "statement");
    }

    int connectSeconds() {
      return wholeSeconds(connect);
    }

    int loginSeconds() {
      return wholeSeconds(login);
    }

    int socketSeconds() {
      return wholeSeconds(socket);
    }

    // Zero would switch statement_timeout off, so a sub-millisecond timeout counts as 1 ms.
    long statementMillis() {
      long millis = statement.toMillis();
      return statement.minusMillis(millis).isZero() ? millis : millis + 1;
    }

    private static int wholeSeconds(Duration duration) {
      long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
      return (int) Math.min(Integer.MAX_VALUE, seconds);
    }

    private static void requirePositive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " timeout must be positive, got " + duration);
      }
    }
  }
}
