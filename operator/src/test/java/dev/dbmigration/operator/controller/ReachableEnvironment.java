package dev.dbmigration.operator.controller;

import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A PR namespace whose Patroni leader pod points at the real test PostgreSQL, with a fresh
 * database and its Secret, so the operator's own database check passes and the tests can
 * concentrate on the Kubernetes side (the Jobs are finished by the test, not run); with what
 * those tests do to its one resource and wait for.
 */
record ReachableEnvironment(String namespace, String name, TestPostgres postgres,
    TestCluster cluster) {

  static final Duration TIMEOUT = Duration.ofSeconds(45);

  static ReachableEnvironment create(TestCluster cluster, String prefix, String name)
      throws Exception {
    TestPostgres postgres = TestPostgres.get();
    TestPostgres.Credentials db = postgres.createDatabase(prefix.replace('-', '_'));
    String ns = cluster.newNamespace(prefix);
    cluster.createDatabaseEnvironment(ns, name + "-creds", "patroni-" + name, db, postgres);
    return new ReachableEnvironment(ns, name, postgres, cluster);
  }

  /** The seed's resource (Fixtures.migration) pointed at this environment's database. */
  DatabaseMigration migration() {
    DatabaseMigration dbm = Fixtures.migration(namespace, name);
    dbm.getSpec().getDatabase().setPort(postgres.port());
    return dbm;
  }

  /** The resource's status once the operator has written one that satisfies {@code until}. */
  DatabaseMigrationStatus awaitStatus(Predicate<DatabaseMigrationStatus> until) {
    return await(name + " status").atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = cluster.client().resources(DatabaseMigration.class)
          .inNamespace(namespace).withName(name).get();
      return dbm == null ? null : dbm.getStatus();
    }, s -> s != null && s.getObservedGeneration() != null && until.test(s));
  }

  List<Job> awaitJobs(int count) {
    return await(count + " Jobs in " + namespace).atMost(TIMEOUT)
        .until(() -> cluster.jobs(namespace), jobs -> jobs.size() == count);
  }

  void edit(Consumer<DatabaseMigration> change) {
    cluster.client().resources(DatabaseMigration.class).inNamespace(namespace).withName(name)
        .edit(d -> {
          if (d.getMetadata().getAnnotations() == null) {
            d.getMetadata().setAnnotations(new HashMap<>());
          }
          change.accept(d);
          return d;
        });
  }

  static String readyReason(DatabaseMigrationStatus status) {
    return status.getConditions().stream().filter(c -> ConditionTypes.READY.equals(c.getType()))
        .map(c -> c.getReason()).findFirst().orElse(null);
  }
}
