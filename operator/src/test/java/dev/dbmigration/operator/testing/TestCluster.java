package dev.dbmigration.operator.testing;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a test needs around a DatabaseMigration on an API server that runs no kubelet and no
 * controllers: namespaces, Secrets, database pods made Running/Ready by patching their status,
 * and Jobs finished by patching theirs (with the fields recent API servers insist on).
 */
public final class TestCluster {

  public static final String PASSWORD = "s3cr3t-Pa55w0rd-do-not-leak";

  private final KubernetesClient client;

  public TestCluster(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  /** A fresh namespace, so tests never see each other's objects. */
  public String newNamespace(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  public void createSecret(String namespace, String name, Map<String, String> values) {
    client.resource(new SecretBuilder().withNewMetadata().withNamespace(namespace)
        .withName(name).endMetadata().withStringData(values).build()).create();
  }

  /**
   * The seed's Secret: app-db-name, app-db-username, app-db-password. The database is named
   * after the namespace, as each PR environment has its own; runs on one database wait for
   * each other, so tests share none unless they mean to.
   */
  public void createSeedSecret(String namespace, String name) {
    createSeedSecret(namespace, name, namespace);
  }

  public void createSeedSecret(String namespace, String name, String database) {
    createSecret(namespace, name, Map.of("app-db-name", database, "app-db-username", "wps",
        "app-db-password", PASSWORD));
  }

  /**
   * A PR environment whose database is real: Secret {@code secret} with the seed's keys for
   * {@code db}, and the Patroni leader {@code <cluster>-0} (labels cluster-name and role=master),
   * Running and Ready at the test PostgreSQL's address.
   */
  public void createDatabaseEnvironment(String namespace, String secret, String cluster,
      TestPostgres.Credentials db, TestPostgres postgres) {
    createSecret(namespace, secret, Map.of("app-db-name", db.database(),
        "app-db-username", db.username(), "app-db-password", db.password()));
    createReadyPod(namespace, cluster + "-0", Map.of("cluster-name", cluster, "role", "master"),
        postgres.host());
  }

  public DatabaseMigration apply(DatabaseMigration dbm) {
    return client.resource(dbm).create();
  }

  /** A database pod with the given labels, Running and Ready at the given IP. */
  public Pod createReadyPod(String namespace, String name, Map<String, String> labels, String ip) {
    createPod(namespace, name, labels);
    return setPodStatus(namespace, name, "Running", true, ip);
  }

  public Pod createPod(String namespace, String name, Map<String, String> labels) {
    return client.resource(new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("postgres").withImage("postgres:15")
        .endContainer().endSpec()
        .build()).create();
  }

  public Pod setPodStatus(String namespace, String name, String phase, boolean ready, String ip) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
        .withPhase(phase)
        .withPodIP(ip)
        .addNewPodIP().withIp(ip).endPodIP()
        .withHostIP("192.0.2.1")
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .build());
    return client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  /**
   * The pod the Job controller would make for {@code job}, stuck the way the kubelet reports it:
   * its container waiting with {@code reason} (ErrImageNeverPull, ImagePullBackOff, ...).
   */
  public Pod createStuckJobPod(Job job, String reason, String message) {
    String namespace = job.getMetadata().getNamespace();
    Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata()
        .getLabels());
    labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
    Pod pod = client.resource(new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(job.getMetadata().getName() + "-x")
        .withLabels(labels).addNewOwnerReference().withApiVersion("batch/v1").withKind("Job")
        .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
        .withController(true).endOwnerReference().endMetadata()
        .withNewSpec().addNewContainer().withName("migrate")
        .withImage(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .endContainer().withRestartPolicy("Never").endSpec()
        .build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending")
        .addNewContainerStatus().withName("migrate").withImage("unused").withImageID("")
        .withReady(false).withRestartCount(0).withNewState().withNewWaiting().withReason(reason)
        .withMessage(message).endWaiting().endState().endContainerStatus().build());
    return client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  public Pod relabel(String namespace, String name, String key, String value) {
    return client.pods().inNamespace(namespace).withName(name).edit(p -> {
      Map<String, String> labels = new HashMap<>(p.getMetadata().getLabels());
      labels.put(key, value);
      p.getMetadata().setLabels(labels);
      return p;
    });
  }

  public List<Job> jobs(String namespace) {
    return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  /** Marks a Job succeeded the way the Job controller would. */
  public void completeJob(String namespace, String name) {
    String now = now();
    finishJob(namespace, name, 1, 0, List.of(
        condition("SuccessCriteriaMet", "CompletionsReached", now),
        condition("Complete", "CompletionsReached", now)), now);
  }

  /** Marks a Job failed the way the Job controller would after its backoff limit. */
  public void failJob(String namespace, String name) {
    String now = now();
    finishJob(namespace, name, 0, 1, List.of(
        condition("FailureTarget", "BackoffLimitExceeded", now),
        condition("Failed", "BackoffLimitExceeded", now)), null);
  }

  private void finishJob(String namespace, String name, int succeeded, int failed,
      List<JobCondition> conditions, String completionTime) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    String start = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString();
    job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
        .withStartTime(start)
        .withCompletionTime(completionTime)
        .withSucceeded(succeeded)
        .withFailed(failed)
        .withActive(0)
        .withReady(0)
        .withConditions(conditions)
        .build());
    client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
  }

  private static JobCondition condition(String type, String reason, String now) {
    return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
        .withMessage(type.equals("Failed") ? "Job has reached the specified backoff limit" : null)
        .withLastProbeTime(now).withLastTransitionTime(now).build();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
