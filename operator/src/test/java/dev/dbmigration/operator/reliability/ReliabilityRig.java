package dev.dbmigration.operator.reliability;

import dev.dbmigration.operator.lock.LockHolder;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.localrun.ImageMapping;
import dev.dbmigration.operator.localrun.LocalJobRunner;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.Prerequisites;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a reliability scenario runs on: the real API server, the real operator (watching only
 * the scenario's namespace, so scenarios with different settings never share a resource), the
 * local Job runner with the real alembic, and the real test PostgreSQL. One per scenario.
 */
final class ReliabilityRig implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final String APP_IMAGE = "registry.example/wps-api:pr-1234";
  static final String GATED_IMAGE = "registry.example/gated:1";
  /** Retries and rechecks start after a second here, so the scenarios stay short. */
  static final Duration BACKOFF = Duration.ofSeconds(1);

  final KubernetesClient client;
  final TestCluster cluster;
  final String namespace;
  private OperatorHarness operator;
  private LocalJobRunner runner;

  private ReliabilityRig(KubernetesClient client, String namespace) {
    this.client = client;
    this.cluster = new TestCluster(client);
    this.namespace = namespace;
  }

  static ReliabilityRig create(String prefix) {
    KubernetesClient client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    return new ReliabilityRig(client, new TestCluster(client).newNamespace(prefix));
  }

  static TestPostgres postgres() {
    if (!Files.isExecutable(Path.of("/usr/bin/alembic"))) {
      Prerequisites.missing("/usr/bin/alembic (apt-get install alembic python3-psycopg2)");
    }
    return TestPostgres.get();
  }

  ReliabilityRig startOperator(DatabaseCheckMode mode) {
    operator = new OperatorHarness(client, new OperatorSettings(Set.of(namespace), 0)
        .withDatabaseCheck(mode).withBackoff(BACKOFF)).start();
    return this;
  }

  void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  /** Runs this namespace's Jobs with the real alembic on the sample and the test projects. */
  ReliabilityRig startRunner() {
    runner = new LocalJobRunner(client, ImageMapping.of(Map.of(
        APP_IMAGE, Path.of("examples/alembic").toAbsolutePath(),
        GATED_IMAGE, Path.of("operator/src/test/resources/alembic-gated").toAbsolutePath()))
        .withEntrypoint(OperatorSettings.DEFAULT_OPERATOR_IMAGE, LockHolder.entrypointOfThisJvm()),
        Map.of("PYTHONDONTWRITEBYTECODE", "1"), Set.of(namespace)).start();
    return this;
  }

  /** The Secret of a real test database, in this namespace. */
  void createSecret(TestPostgres.Credentials db) {
    cluster.createSecret(namespace, "app-creds", Map.of("app-db-name", db.database(),
        "app-db-username", db.username(), "app-db-password", db.password()));
  }

  DatabaseMigration migration(String image, int port) {
    DatabaseMigration dbm = Fixtures.migration(namespace, "app");
    dbm.getSpec().setImage(image);
    dbm.getSpec().getDatabase().setPort(port);
    return dbm;
  }

  DatabaseMigration resource() {
    return client.resources(DatabaseMigration.class).inNamespace(namespace).withName("app").get();
  }

  DatabaseMigrationStatus status() {
    DatabaseMigration dbm = resource();
    return dbm == null ? null : dbm.getStatus();
  }

  DatabaseMigrationStatus awaitStatus(String what, Predicate<DatabaseMigrationStatus> until) {
    return await(what).atMost(TIMEOUT).until(this::status,
        s -> s != null && s.getPhase() != null && until.test(s));
  }

  static Condition condition(DatabaseMigrationStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow();
  }

  static String readyReason(DatabaseMigrationStatus status) {
    return condition(status, "Ready").getReason();
  }

  List<String> eventReasons() {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .map(Event::getReason).toList();
  }

  /** How many rows the gated revision left in its table: 1 exactly when it was applied once. */
  static int effects(Connection connection) throws Exception {
    try (connection; Statement s = connection.createStatement()) {
      try (ResultSet exists = s.executeQuery("SELECT to_regclass('effect') IS NOT NULL")) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return 0;
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM effect")) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Override
  public void close() {
    stopOperator();
    if (runner != null) {
      runner.close();
    }
    client.close();
  }
}
