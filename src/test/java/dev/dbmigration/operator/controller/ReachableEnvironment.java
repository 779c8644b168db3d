package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import java.util.Map;

/**
 * A PR namespace whose Patroni leader pod points at the real test PostgreSQL, with a fresh
 * database and its Secret, so the operator's own database check passes and the tests can
 * concentrate on the Kubernetes side (the Jobs are finished by the test, not run).
 */
record ReachableEnvironment(String namespace, String name, TestPostgres postgres) {

  static ReachableEnvironment create(TestCluster cluster, String prefix, String name)
      throws Exception {
    TestPostgres postgres = TestPostgres.get();
    TestPostgres.Credentials db = postgres.createDatabase(prefix.replace('-', '_'));
    String ns = cluster.newNamespace(prefix);
    cluster.createSecret(ns, name + "-creds", Map.of("app-db-name", db.database(),
        "app-db-username", db.username(), "app-db-password", db.password()));
    cluster.createReadyPod(ns, "patroni-" + name + "-0",
        Map.of("cluster-name", "patroni-" + name, "role", "master"), postgres.host());
    return new ReachableEnvironment(ns, name, postgres);
  }

  /** The seed's resource (Fixtures.migration) pointed at this environment's database. */
  DatabaseMigration migration() {
    DatabaseMigration dbm = Fixtures.migration(namespace, name);
    dbm.getSpec().getDatabase().setPort(postgres.port());
    return dbm;
  }
}
