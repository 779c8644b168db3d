package dev.dbmigration.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbmigration.operator.database.RevisionReader.Timeouts;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

class RevisionReaderTest {

  private static final DatabaseLogin LOGIN =
      new DatabaseLogin("db.example", 6432, "app db/1?x", "migrator", "p@ss:w/rd#?% 'x");

  @Test
  void standbyInRecoveryIsReachableWithItsRevision() throws SQLException {
    ScriptedSession session =
        new ScriptedSession(true, true, List.of("4d5e6f708192", "3c4d5e6f7081"));

    Probe.Reachable probe = RevisionReader.read(session, VersionTable.ALEMBIC, Timeouts.DEFAULTS);

    assertThat(probe).isEqualTo(
        new Probe.Reachable(true, Revision.of("3c4d5e6f7081", "4d5e6f708192")));
    assertThat(session.statements).containsExactly(
        "SET statement_timeout = 5000",
        "SELECT pg_is_in_recovery()",
        "SELECT to_regclass('alembic_version') IS NOT NULL",
        "SELECT version_num FROM alembic_version");
  }

  @Test
  void withoutATableOnlyWritabilityIsReadAndTheRevisionIsUnknown() throws SQLException {
    ScriptedSession session = new ScriptedSession(false, true, List.of("never read"));

    Probe.Reachable probe = RevisionReader.read(session, null, Timeouts.DEFAULTS);

    assertThat(probe).isEqualTo(new Probe.Reachable(false, null));
    assertThat(probe.revisionText()).isEmpty();
    assertThat(session.statements).containsExactly("SET statement_timeout = 5000",
        "SELECT pg_is_in_recovery()");
  }

  @Test
  void tlsAsksTheDriverForTheModeAndHandsTheCaOverInMemory() throws Exception {
    Properties plain = new Properties();
    RevisionReader.tlsProperties(ConnectionTls.DRIVER_DEFAULT, plain);
    assertThat(plain).isEmpty();

    Properties require = new Properties();
    RevisionReader.tlsProperties(new ConnectionTls(
        dev.dbmigration.operator.api.v1alpha1.SslMode.REQUIRE, null), require);
    assertThat(require).containsOnly(Map.entry("sslmode", "require"));

    CaBundle ca = CaBundle.parse(dev.dbmigration.operator.testing.TestCertificates.authority("test").caPem());
    Properties full = new Properties();
    RevisionReader.tlsProperties(new ConnectionTls(
        dev.dbmigration.operator.api.v1alpha1.SslMode.VERIFY_FULL, ca), full);
    assertThat(full).containsEntry("sslmode", "verify-full")
        .containsEntry("sslfactory", CaBundleSslFactory.class.getName());
    assertThat(CaBundle.parse(full.getProperty(CaBundleSslFactory.CA_PROPERTY))).isEqualTo(ca);
    assertThat(new CaBundleSslFactory(full).getDefaultCipherSuites()).isNotEmpty();
  }

  @Test
  void missingTableIsTheBaseStateWithoutReadingIt() throws SQLException {
    ScriptedSession session = new ScriptedSession(false, false, List.of());

    Probe.Reachable probe = RevisionReader.read(session, VersionTable.FLYWAY,
        new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofMillis(1500)));

    assertThat(probe).isEqualTo(new Probe.Reachable(false, Revision.base()));
    assertThat(session.statements).containsExactly(
        "SET statement_timeout = 1500",
        "SELECT pg_is_in_recovery()",
        "SELECT to_regclass('flyway_schema_history') IS NOT NULL");
  }

  @Test
  void connectionPropertiesBoundEveryWaitAndAskForAReadOnlySession() {
    Properties properties = RevisionReader.connectionProperties(LOGIN, Timeouts.DEFAULTS);

    assertThat(properties).containsAllEntriesOf(Map.of(
        "connectTimeout", "5",
        "loginTimeout", "5",
        "socketTimeout", "10",
        "ApplicationName", "database-migration-operator",
        "readOnly", "true",
        "readOnlyMode", "always",
        "user", "migrator",
        "password", "p@ss:w/rd#?% 'x"));
  }

  // Host, port and database go as properties; the driver must not let its URL parsing drop them.
  @Test
  void driverKeepsHostPortAndDatabaseFromTheProperties() {
    Properties parsed = Driver.parseURL("jdbc:postgresql://",
        RevisionReader.connectionProperties(LOGIN, Timeouts.DEFAULTS));

    assertThat(PGProperty.PG_HOST.getOrDefault(parsed)).isEqualTo("db.example");
    assertThat(PGProperty.PG_PORT.getOrDefault(parsed)).isEqualTo("6432");
    assertThat(PGProperty.PG_DBNAME.getOrDefault(parsed)).isEqualTo("app db/1?x");
  }

  @Test
  void noPasswordSendsNoPasswordProperty() {
    DatabaseLogin trusted = new DatabaseLogin("db", 5432, "app", "u", null);

    assertThat(RevisionReader.connectionProperties(trusted, Timeouts.DEFAULTS))
        .doesNotContainKey("password");
  }

  @Test
  void defaultTimeouts() {
    assertThat(new RevisionReader().timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5)));
  }

  @Test
  void timeoutsRoundUpToWhatTheDriverAndServerCount() {
    Timeouts timeouts = new Timeouts(Duration.ofMillis(1), Duration.ofMillis(1500),
        Duration.ofSeconds(3), Duration.ofNanos(10));

    assertThat(timeouts.connectSeconds()).isEqualTo(1);
    assertThat(timeouts.loginSeconds()).isEqualTo(2);
    assertThat(timeouts.socketSeconds()).isEqualTo(3);
    assertThat(timeouts.statementMillis()).isEqualTo(1);
  }

  @Test
  void timeoutsMustBePositiveBecauseZeroMeansForever() {
    assertThatThrownBy(() -> new Timeouts(Duration.ZERO, Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connect");
    assertThatThrownBy(() -> new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("statement");
  }

  /** Answers the probe's queries from a script and records them. */
  private static final class ScriptedSession implements Session {

    private final boolean inRecovery;
    private final boolean tableExists;
    private final List<String> rows;
    private final List<String> statements = new ArrayList<>();

    ScriptedSession(boolean inRecovery, boolean tableExists, List<String> rows) {
      this.inRecovery = inRecovery;
      this.tableExists = tableExists;
      this.rows = rows;
    }

    @Override
    public void execute(String sql) {
      statements.add(sql);
    }

    @Override
    public boolean queryBoolean(String sql) {
      statements.add(sql);
      return sql.contains("pg_is_in_recovery") ? inRecovery : tableExists;
    }

    @Override
    public List<String> queryStrings(String sql) {
      statements.add(sql);
      return rows;
    }
  }
}
