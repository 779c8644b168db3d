package dev.dbmigration.operator.reliability;

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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
    cluster.createSecret(ns, "app-creds", Map.of("app-db-name", db.database(),
        "app-db-username", db.username(), "app-db-password", db.password()));
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), postgres.host());
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
        Fixtures.IMAGE, Path.of("examples/alembic").toAbsolutePath())),
        Map.of("PYTHONDONTWRITEBYTECODE", "1"), Set.of(namespaces)).start();
  }

  /** The database's revision by SQL: alembic_version's rows, sorted, or "base". */
  String revisionInDatabase(TestPostgres.Credentials db) throws SQLException {
    try (Connection c = postgres.connect(db); Statement s = c.createStatement()) {
      if (!tableExists(s)) {
        return "base";
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

  private static boolean tableExists(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT to_regclass('alembic_version') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
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
