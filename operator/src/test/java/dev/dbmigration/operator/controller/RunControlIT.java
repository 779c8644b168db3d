package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What users do to steer runs, on the real API server: suspend and resume, the rerun annotation,
 * and `kubectl wait --for=condition=Ready` from a pipeline.
 */
class RunControlIT {

  static final Duration TIMEOUT = ReachableEnvironment.TIMEOUT;

  static KubernetesClient client;
  static TestCluster cluster;
  static OperatorHarness operator;

  @BeforeAll
  static void start() {
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    cluster = new TestCluster(client);
    operator = new OperatorHarness(client).start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void suspendHoldsTheRunAndResumingStartsIt() throws Exception {
    ReachableEnvironment env = ReachableEnvironment.create(cluster, "suspend", "wps-api");
    DatabaseMigration dbm = env.migration();
    dbm.getSpec().setSuspend(true);
    cluster.apply(dbm);

    DatabaseMigrationStatus held = env.awaitStatus(
        s -> Reasons.SUSPENDED.equals(ReachableEnvironment.readyReason(s)));
    assertThat(held.getPhase()).isEqualTo(Phase.Pending);
    assertThat(held.getMessage()).contains("spec.suspend");
    assertThat(cluster.jobs(env.namespace())).isEmpty();

    env.edit(d -> d.getSpec().setSuspend(false));
    Job job = env.awaitJobs(1).get(0);
    cluster.completeJob(env.namespace(), job.getMetadata().getName());
    DatabaseMigrationStatus done = env.awaitStatus(s -> s.getPhase() == Phase.Succeeded);
    assertThat(done.getJobName()).isEqualTo(job.getMetadata().getName());
  }

  @Test
  void pausingAndResumingAFinishedRunDoesNotRunItAgain() throws Exception {
    ReachableEnvironment env = ReachableEnvironment.create(cluster, "pause", "wps-api");
    DatabaseMigration dbm = env.migration();
    dbm.getSpec().setTarget("+1");
    cluster.apply(dbm);
    Job job = env.awaitJobs(1).get(0);
    cluster.completeJob(env.namespace(), job.getMetadata().getName());
    env.awaitStatus(s -> s.getPhase() == Phase.Succeeded);

    env.edit(d -> d.getSpec().setSuspend(true));
    DatabaseMigrationStatus paused = env.awaitStatus(s -> s.getObservedGeneration() == 2L);
    env.edit(d -> d.getSpec().setSuspend(false));
    DatabaseMigrationStatus resumed = env.awaitStatus(s -> s.getObservedGeneration() == 3L);

    assertThat(paused.getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(resumed.getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(resumed.getJobName()).isEqualTo(job.getMetadata().getName());
    assertThat(condition(resumed, ConditionTypes.READY).getObservedGeneration()).isEqualTo(3L);
    assertThat(resumed.getHistory()).hasSize(1);
    assertThat(cluster.jobs(env.namespace())).hasSize(1);
  }

  @Test
  void theRerunAnnotationStartsOneMoreRunOfTheSameGeneration() throws Exception {
    ReachableEnvironment env = ReachableEnvironment.create(cluster, "rerun", "wps-api");
    cluster.apply(env.migration());
    Job first = env.awaitJobs(1).get(0);
    cluster.completeJob(env.namespace(), first.getMetadata().getName());
    env.awaitStatus(s -> s.getPhase() == Phase.Succeeded);

    env.edit(d -> d.getMetadata().getAnnotations().put(DatabaseMigration.RERUN_ANNOTATION, "1"));
    List<Job> jobs = env.awaitJobs(2);
    Job second = jobs.stream().filter(j -> !j.getMetadata().getName()
        .equals(first.getMetadata().getName())).findFirst().orElseThrow();
    cluster.completeJob(env.namespace(), second.getMetadata().getName());
    DatabaseMigrationStatus done = env.awaitStatus(s -> s.getPhase() == Phase.Succeeded
        && second.getMetadata().getName().equals(s.getJobName()));

    assertThat(done.getObservedGeneration()).isEqualTo(1L);
    assertThat(done.getRerun()).isEqualTo("1");
    assertThat(done.getHistory()).extracting(r -> r.getJobName())
        .containsExactly(first.getMetadata().getName(), second.getMetadata().getName());
  }

  @Test
  void kubectlWaitForReadyReturnsOnceTheCurrentGenerationSucceeded() throws Exception {
    ReachableEnvironment env = ReachableEnvironment.create(cluster, "kwait", "wps-api");
    cluster.apply(env.migration());
    Job job = env.awaitJobs(1).get(0);
    env.awaitStatus(s -> s.getPhase() == Phase.Running);

    Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfig, KubeApiServerSupport.kubeConfigYaml());
    Process wait = new ProcessBuilder(
        KubeApiServerSupport.binaryDir().resolve("kubectl").toString(),
        "--kubeconfig", kubeconfig.toString(), "wait", "--for=condition=Ready",
        "databasemigration/wps-api", "-n", env.namespace(), "--timeout=60s")
        .redirectErrorStream(true).start();
    try {
      // While the Job runs, Ready is False: kubectl must still be waiting.
      assertThat(wait.waitFor(2, TimeUnit.SECONDS)).as("kubectl wait returned early").isFalse();
      cluster.completeJob(env.namespace(), job.getMetadata().getName());

      assertThat(wait.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      String out = new String(wait.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(wait.exitValue()).as(out).isZero();
      assertThat(out).contains("databasemigration.dbmigration.dev/wps-api condition met");
    } finally {
      wait.destroyForcibly();
      Files.deleteIfExists(kubeconfig);
    }
  }

  static io.fabric8.kubernetes.api.model.Condition condition(DatabaseMigrationStatus status,
      String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow();
  }
}
