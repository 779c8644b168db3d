package dev.dbmigration.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.database.RevisionReader.Timeouts;
import dev.dbmigration.operator.localkit.LocalPostgres.Credentials;
import dev.dbmigration.operator.testing.Prerequisites;
import dev.dbmigration.operator.testing.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RevisionReaderIT {

  private static final String LOOPBACK = "127.0.0.1";

  private final RevisionReader reader = new RevisionReader();
  private TestPostgres postgres;
  private Credentials db;

  @BeforeEach
  void freshDatabase() throws SQLException {
    postgres = TestPostgres.get();
    db = postgres.createDatabase("revreader");
  }

  @Test
  void emptyDatabaseIsAtBase() {
    assertThat(reader.probe(login(db), Engine.ALEMBIC))
        .isEqualTo(new Probe.Reachable(false, Revision.base()));
  }

  @Test
  void emptyVersionTableIsAtBase() throws SQLException {
    sql(db, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)");

    assertThat(reader.probe(login(db), Engine.ALEMBIC))
        .isEqualTo(new Probe.Reachable(false, Revision.base()));
  }

  @Test
  void oneRowIsThatRevision() throws SQLException {
    sql(db, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('1a2b3c4d5e6f')");

    assertThat(reader.probe(login(db), null))
        .isEqualTo(new Probe.Reachable(false, Revision.of("1a2b3c4d5e6f")));
  }

  @Test
  void twoHeadsAreSortedAndJoined() throws SQLException {
    sql(db, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('4d5e6f708192'), ('3c4d5e6f7081')");

    Probe probe = reader.probe(login(db), Engine.ALEMBIC);

    assertThat(probe).isInstanceOf(Probe.Reachable.class);
    assertThat(((Probe.Reachable) probe).revision().value())
        .hasValue("3c4d5e6f7081,4d5e6f708192");
  }

  // Alembic creates its table in the first schema of the search_path; the probe looks there too.
  @Test
  void versionTableIsFoundThroughTheSearchPath() throws SQLException {
    sql(db, "CREATE SCHEMA app",
        "CREATE TABLE app.alembic_version (version_num varchar(32) PRIMARY KEY)",
        "INSERT INTO app.alembic_version VALUES ('5e6f70819203')");

    assertThat(reader.probe(login(db), Engine.ALEMBIC))
        .as("app is not on the search_path yet")
        .isEqualTo(new Probe.Reachable(false, Revision.base()));

    sql(db, "ALTER DATABASE " + db.database() + " SET search_path = app, public");

    assertThat(reader.probe(login(db), Engine.ALEMBIC))
        .isEqualTo(new Probe.Reachable(false, Revision.of("5e6f70819203")));
  }

  @Test
  void sessionIsBoundedReadOnlyAndNamed() throws SQLException {
    try (Connection session = reader.open(login(db))) {
      RevisionReader.read(new JdbcSession(session), VersionTable.ALEMBIC, Timeouts.DEFAULTS);

      assertThat(show(session, "transaction_read_only")).isEqualTo("on");
      assertThat(show(session, "statement_timeout")).isEqualTo("5s");
      assertThat(show(session, "application_name")).isEqualTo("database-migration-operator");
    }
  }

  @Test
  void wrongPasswordIsAnAuthenticationFailureWithoutThePassword() throws SQLException {
    String wrong = "Wr0ng-" + UUID.randomUUID();
    requireServerChecksPasswords(wrong);

    Probe probe = reader.probe(withPassword(login(db), wrong), Engine.ALEMBIC);

    assertThat(probe).isInstanceOf(Probe.Unreachable.class);
    String reason = ((Probe.Unreachable) probe).reason();
    assertThat(reason).contains("authentication failed", db.username())
        .doesNotContain(wrong).doesNotContain(db.password());
  }

  @Test
  void closedPortIsRefusedWithoutWaitingForTheTimeout() throws IOException {
    int port = freePort();
    DatabaseLogin login = new DatabaseLogin(LOOPBACK, port, db.database(), db.username(),
        db.password());

    long started = System.nanoTime();
    Probe probe = reader.probe(login, Engine.ALEMBIC);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    assertThat(probe).isEqualTo(new Probe.Unreachable("connection refused to 127.0.0.1:" + port));
    assertThat(elapsed).isLessThan(reader.timeouts().connect());
  }

  // A server that accepts the TCP connection and never answers: only the timeouts end the wait.
  @Test
  void silentServerTimesOutWithinTheConfiguredTimeouts() throws IOException {
    Duration second = Duration.ofSeconds(1);
    RevisionReader impatient = new RevisionReader(new Timeouts(second, second, second, second));
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK))) {
      DatabaseLogin login = new DatabaseLogin(LOOPBACK, silent.getLocalPort(), db.database(),
          db.username(), db.password());

      long started = System.nanoTime();
      Probe probe = impatient.probe(login, Engine.ALEMBIC);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

      assertThat(probe).isInstanceOf(Probe.Unreachable.class);
      assertThat(((Probe.Unreachable) probe).reason()).matches(
          "timeout after 1 s (logging in to|waiting for) 127\\.0\\.0\\.1:" + silent.getLocalPort()
              + ".*");
      // Generous: a loaded CI machine may be slow, but nowhere near the driver's 10 s default.
      assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void missingDatabaseIsNamed() {
    String missing = "no_such_db_" + UUID.randomUUID().toString().substring(0, 8);

    Probe probe = reader.probe(new DatabaseLogin(postgres.host(), postgres.port(), missing,
        db.username(), db.password()), Engine.ALEMBIC);

    assertThat(probe)
        .isEqualTo(new Probe.Unreachable("database \"" + missing + "\" does not exist"));
  }

  @Test
  void passwordWithSpecialCharactersLogsIn() throws SQLException {
    String role = db.username() + "_special";
    String password = "p@ss:w/rd#?% 'x";
    try (Connection admin = postgres.connectAsAdmin();
        PreparedStatement format = admin.prepareStatement(
            "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', ?, ?)")) {
      format.setString(1, role);
      format.setString(2, password);
      try (ResultSet statement = format.executeQuery();
          Statement create = admin.createStatement()) {
        statement.next();
        create.execute(statement.getString(1));
      }
    }
    sql(db, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('6f7081920314')",
        "GRANT SELECT ON alembic_version TO " + role);

    Probe probe = reader.probe(new DatabaseLogin(postgres.host(), postgres.port(), db.database(),
        role, password), Engine.ALEMBIC);

    assertThat(probe).isEqualTo(new Probe.Reachable(false, Revision.of("6f7081920314")));
  }

  // Whatever the server says about the login goes through the Redactor on the way out.
  @Test
  void passwordEchoedByTheServerIsRedacted() {
    String echoed = "echo_" + UUID.randomUUID().toString().replace("-", "");

    Probe probe = reader.probe(new DatabaseLogin(postgres.host(), postgres.port(), db.database(),
        echoed, echoed), Engine.ALEMBIC);

    assertThat(probe).isInstanceOf(Probe.Unreachable.class);
    assertThat(((Probe.Unreachable) probe).reason()).doesNotContain(echoed).contains("\"***\"");
  }

  private DatabaseLogin login(Credentials credentials) {
    return new DatabaseLogin(postgres.host(), postgres.port(), credentials.database(),
        credentials.username(), credentials.password());
  }

  private static DatabaseLogin withPassword(DatabaseLogin login, String password) {
    return new DatabaseLogin(login.host(), login.port(), login.database(), login.username(),
        password);
  }

  private void sql(Credentials credentials, String... statements) throws SQLException {
    try (Connection c = postgres.connect(credentials); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static String show(Connection session, String setting) throws SQLException {
    try (Statement s = session.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  // zonky's embedded server is initialised with trust authentication: any password logs in.
  private void requireServerChecksPasswords(String wrong) {
    boolean accepted;
    try {
      postgres.connect(new Credentials(db.database(), db.username(), wrong)).close();
      accepted = true;
    } catch (SQLException refused) {
      accepted = false;
    }
    if (accepted) {
      Prerequisites.missing("a PostgreSQL server that checks passwords (" + postgres.source()
          + " accepted a wrong one; set TEST_JDBC_URL, see hack/test-postgres.sh)");
    }
  }

  // Bound and closed again: nothing listens there for the moment the test needs.
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }
}
