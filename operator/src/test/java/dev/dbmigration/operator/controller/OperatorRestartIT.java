package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.model.job.JobNames;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One Job per run survives operator restarts: the Job name is found again, never re-made. */
class OperatorRestartIT {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static KubernetesClient client;
  static TestCluster cluster;
  OperatorHarness operator;

  @BeforeAll
  static void connect() {
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    cluster = new TestCluster(client);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
  }

  String environment(String prefix) {
    String ns = cluster.newNamespace(prefix);
    cluster.createSeedSecret(ns, "app-creds");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), "127.0.0.1");
    return ns;
  }

  DatabaseMigrationStatus awaitPhase(String ns, Phase phase) {
    return await("phase " + phase).atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = client.resources(DatabaseMigration.class).inNamespace(ns)
          .withName("app").get();
      return dbm.getStatus();
    }, s -> s != null && s.getPhase() == phase);
  }

  @Test
  void anOperatorRestartedMidRunFindsItsJobAndMakesNoSecond() {
    String ns = environment("restart");
    operator = OperatorHarness.withoutDatabase(client).start();
    cluster.apply(Fixtures.migration(ns, "app"));
    Job job = await().atMost(TIMEOUT).until(() -> cluster.jobs(ns), j -> j.size() == 1).get(0);
    awaitPhase(ns, Phase.Running);

    operator.stop();
    operator = OperatorHarness.withoutDatabase(client).start();
    cluster.completeJob(ns, job.getMetadata().getName());

    DatabaseMigrationStatus done = awaitPhase(ns, Phase.Succeeded);
    assertThat(done.getJobName()).isEqualTo(job.getMetadata().getName());
    assertThat(cluster.jobs(ns)).extracting(j -> j.getMetadata().getName())
        .containsExactly(job.getMetadata().getName());
  }

  @Test
  void aJobMadeJustBeforeACrashIsAdoptedNotDuplicated() {
    String ns = environment("crash");
    DatabaseMigration dbm = cluster.apply(Fixtures.migration(ns, "app"));
    // What an operator that died between creating the Job and writing the status left behind.
    Job orphan = MigrationJobBuilder.build(dbm,
        JobNames.of(dbm, RunIdentity.of(dbm, null, null), 1), "127.0.0.1");
    client.resource(orphan).create();

    operator = OperatorHarness.withoutDatabase(client).start();

    DatabaseMigrationStatus running = awaitPhase(ns, Phase.Running);
    assertThat(running.getJobName()).isEqualTo(orphan.getMetadata().getName());
    List<Job> jobs = cluster.jobs(ns);
    assertThat(jobs).hasSize(1);
  }
}
