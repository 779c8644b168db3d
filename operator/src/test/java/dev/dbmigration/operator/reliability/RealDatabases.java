package dev.dbmigration.operator.reliability;

import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.lock.LockHolder;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.localrun.ImageMapping;
import dev.dbmigration.operator.localrun.LocalJobRunner;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.Prerequisites;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

/**
 * PR environments backed by the real PostgreSQL, migrated by the real alembic of
 * examples/alembic through the local Job runner: what the data-touching scenarios share.
 */
final class RealDatabases {

  static final String HEAD = "8192a3b4c5d6";

  private final KubernetesClient client;
  private final TestCluster cluster;
  private final TestPostgres postgres;

  RealDatabases(KubernetesClient client) {
    if (!Files.isExecutable(Path.of("/usr/bin/alembic"))) {
      Prerequisites.missing("/usr/bin/alembic (apt-get install alembic python3-psycopg2)");
    }
    this.client = client;
    this.cluster = new TestCluster(client);
    this.postgres = TestPostgres.get();
  }

  TestCluster cluster() {
    return cluster;
  }

  TestPostgres postgres() {
    return postgres;
  }

  /** A namespace with Secret {@code app-creds} for the database and leader pod {@code patroni-app-0}. */
  record Environment(String namespace, TestPostgres.Credentials db) {
  }

  Environment environment(String prefix) throws SQLException {
    return environment(prefix, postgres.createDatabase(prefix.replace("-", "_")));
  }

  Environment environment(String prefix, TestPostgres.Credentials db) {
    String ns = cluster.newNamespace(prefix);
    cluster.createDatabaseEnvironment(ns, "app-creds", "patroni-app", db, postgres);
    return new Environment(ns, db);
  }

  DatabaseMigration migration(Environment env, String name, String target) {
    DatabaseMigration dbm = Fixtures.migration(env.namespace(), name);
    dbm.getSpec().getDatabase().getCredentialsSecret().setName("app-creds");
    dbm.getSpec().getDatabase().getLeader().setSelector(Map.of("cluster-name", "patroni-app"));
    dbm.getSpec().getDatabase().setPort(postgres.port());
    dbm.getSpec().setTarget(target);
    return dbm;
  }

  /** The local Job runner serving only the given namespaces, so no other test's Job runs. */
  LocalJobRunner runner(String... namespaces) {
    return new LocalJobRunner(client, ImageMapping.of(Map.of(
        Fixtures.IMAGE, Path.of("examples/alembic").toAbsolutePath()))
        .withEntrypoint(OperatorSettings.DEFAULT_OPERATOR_IMAGE, LockHolder.entrypointOfThisJvm()),
        Map.of("PYTHONDONTWRITEBYTECODE", "1"), Set.of(namespaces)).start();
  }

  DatabaseMigrationStatus status(String namespace, String name) {
    DatabaseMigration dbm = client.resources(DatabaseMigration.class).inNamespace(namespace)
        .withName(name).get();
    return dbm == null ? null : dbm.getStatus();
  }

  /** How many Events with this reason the resource got. */
  long events(String namespace, String name, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason).filter(reason::equals).count();
  }
}
