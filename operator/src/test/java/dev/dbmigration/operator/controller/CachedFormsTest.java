package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.ImageSource;
import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import dev.dbmigration.operator.api.v1alpha1.WorkloadKind;
import dev.dbmigration.operator.model.job.JobOutcome;
import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import dev.dbmigration.operator.model.job.PodStart;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import dev.dbmigration.operator.model.run.FollowedImage;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pruned forms keep every field a decision reads: the decisions give the same answers on
 * them as on the whole objects, and nothing else survives.
 */
class CachedFormsTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void aSecretKeepsItsKeyNamesAndWhichAreEmptyButNoValue() {
    Secret secret = new SecretBuilder().withNewMetadata().withNamespace("pr-1").withName("creds")
        .withResourceVersion("42").addToLabels("app", "wps").addToAnnotations("note", "x")
        .endMetadata().withType("Opaque")
        .addToData("app-db-name", b64("wps")).addToData("app-db-username", b64("wps"))
        .addToData("app-db-password", b64(TestCluster.PASSWORD)).addToData("spare", "")
        .build();

    Secret cached = CachedForms.secret(secret);

    assertThat(cached.getData()).isNullOrEmpty();
    assertThat(cached.getStringData()).isNullOrEmpty();
    assertThat(Serialization.asJson(cached)).doesNotContain(b64(TestCluster.PASSWORD))
        .doesNotContain(TestCluster.PASSWORD).doesNotContain("wps");
    assertThat(CachedForms.keys(cached, CachedForms.KEYS))
        .containsExactlyInAnyOrder("app-db-name", "app-db-username", "app-db-password", "spare");
    assertThat(CachedForms.keys(cached, CachedForms.EMPTY_KEYS)).containsExactly("spare");
    assertThat(cached.getMetadata().getName()).isEqualTo("creds");
    assertThat(cached.getMetadata().getNamespace()).isEqualTo("pr-1");
    assertThat(cached.getMetadata().getResourceVersion()).isNull();
    assertThat(cached.getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void aSecretWithoutDataHasNoKeys() {
    Secret cached = CachedForms.secret(new SecretBuilder().withNewMetadata().withNamespace("n")
        .withName("empty").endMetadata().build());

    assertThat(CachedForms.keys(cached, CachedForms.KEYS)).isEmpty();
    assertThat(CachedForms.keys(cached, CachedForms.EMPTY_KEYS)).isEmpty();
  }

  @Test
  void leaderSelectionSeesTheSameInPrunedPods() {
    LeaderDiscovery discovery = new LeaderDiscovery();
    discovery.setSelector(Map.of("cluster-name", "patroni-wps"));
    List<Pod> pods = List.of(
        databasePod("patroni-wps-0", "master", "Running", true, "10.1.0.5", null),
        databasePod("patroni-wps-1", "replica", "Running", true, "10.1.0.6", null),
        databasePod("patroni-wps-2", "master", "Running", true, "10.1.0.7",
            "2026-12-02T09:59:00Z"),
        databasePod("patroni-wps-3", "master", "Pending", false, null, null));
    List<Pod> pruned = pods.stream().map(CachedForms::pod).toList();

    assertThat(LeaderSelection.select(discovery, pruned))
        .isEqualTo(LeaderSelection.select(discovery, pods))
        .isEqualTo(new LeaderSelection.Found("patroni-wps-0", "10.1.0.5"));
    List<Pod> twoLeaders = List.of(pods.get(0), databasePod("patroni-wps-4", "master", "Running",
        true, "10.1.0.8", null));
    assertThat(LeaderSelection.select(discovery, twoLeaders.stream().map(CachedForms::pod)
        .toList())).isEqualTo(LeaderSelection.select(discovery, twoLeaders));
  }

  @Test
  void aJobPodsStartProblemAndTerminationMessageSurvive() {
    Pod stuck = jobPod("wps-api-g1-x", new PodBuilder().editOrNewStatus().withPhase("Pending")
        .addNewContainerStatus().withName("migrate").withImage("app:pr-1").withImageID("")
        .withRestartCount(0).withReady(false).withNewState().withNewWaiting()
        .withReason("ImagePullBackOff").withMessage("Back-off pulling image \"app:pr-1\"")
        .endWaiting().endState().endContainerStatus()
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .endStatus().build());
    Pod unschedulable = jobPod("wps-api-g2-x", new PodBuilder().editOrNewStatus()
        .withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage("0/3 nodes are available").endCondition()
        .endStatus().build());
    Pod failed = jobPod("wps-api-g3-x", new PodBuilder().editOrNewStatus().withPhase("Failed")
        .addNewContainerStatus().withName("migrate").withImage("app:pr-1").withImageID("x")
        .withRestartCount(0).withReady(false).withNewState().withNewTerminated().withExitCode(1)
        .withReason("Error").withMessage("alembic: Can't locate revision 1a2b")
        .endTerminated().endState().endContainerStatus().endStatus().build());

    for (Pod pod : List.of(stuck, unschedulable, failed)) {
      Pod pruned = CachedForms.pod(pod);
      assertThat(PodStart.of(List.of(pruned), NOW, Duration.ofMinutes(5)))
          .isEqualTo(PodStart.of(List.of(pod), NOW, Duration.ofMinutes(5)));
      String job = pod.getMetadata().getLabels().get(JobPodOutput.JOB_NAME_LABEL);
      assertThat(JobPodOutput.terminationMessage(List.of(pruned), job))
          .isEqualTo(JobPodOutput.terminationMessage(List.of(pod), job));
      assertThat(JobPodOutput.newestPod(List.of(pruned), job).map(p -> p.getMetadata().getName()))
          .isEqualTo(JobPodOutput.newestPod(List.of(pod), job).map(p -> p.getMetadata().getName()));
      assertThat(pruned.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Job/" + job));
    }
    assertThat(PodStart.of(List.of(CachedForms.pod(stuck)), NOW, Duration.ofMinutes(5)))
        .hasValueSatisfying(p -> assertThat(p.reason()).isEqualTo("ImagePullBackOff"));
    assertThat(JobPodOutput.terminationMessage(List.of(CachedForms.pod(failed)), "wps-api-g3-x"))
        .contains("alembic: Can't locate revision 1a2b");
  }

  @Test
  void aPodKeepsNoSpecNoAnnotationAndNoManagedFields() {
    Pod pod = databasePod("patroni-wps-0", "master", "Running", true, "10.1.0.5", null);

    Pod pruned = CachedForms.pod(pod);

    assertThat(pruned.getSpec()).isNull();
    assertThat(pruned.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(pruned.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(pruned.getMetadata().getUid()).isNull();
    assertThat(pruned.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(pruned.getStatus().getConditions()).extracting(c -> c.getType())
        .containsExactly("Ready");
    assertThat(pruned.getStatus().getContainerStatuses()).isEmpty();
    assertThat(Serialization.asJson(pruned).length())
        .as("the pruned pod is a fraction of the whole").isLessThan(
            Serialization.asJson(pod).length() / 4);
  }

  @Test
  void theOperatorsJobKeepsWhatItsDecisionsRead() {
    DatabaseMigration dbm = Fixtures.migration("pr-1", "wps-api");
    dbm.getMetadata().setUid("dbm-uid");
    Job job = MigrationJobBuilder.build(dbm, "wps-api-g1-7f2c1", "10.1.0.5",
        "registry.example/wps-api:pr-1");
    job.getMetadata().setUid("job-uid");
    job.getMetadata().setResourceVersion("31");
    job.getMetadata().setCreationTimestamp("2026-12-02T09:00:00Z");
    job.getMetadata().getAnnotations().put(Labels.DATABASE_ANNOTATION, "10.1.0.5:5432/pr_1");
    job.setStatus(new JobStatusBuilder().withStartTime("2026-12-02T09:00:01Z")
        .withCompletionTime("2026-12-02T09:00:09Z").withSucceeded(1)
        .addNewCondition().withType("Complete").withStatus("True").endCondition().build());

    Job cached = CachedForms.job(job);

    assertThat(JobOutcome.of(cached)).isEqualTo(JobOutcome.of(job));
    assertThat(JobOutcome.completionTime(cached)).isEqualTo(JobOutcome.completionTime(job));
    assertThat(cached.getMetadata().getAnnotations()).isEqualTo(job.getMetadata().getAnnotations());
    assertThat(cached.getMetadata().getLabels()).isEqualTo(job.getMetadata().getLabels());
    assertThat(cached.getMetadata().getOwnerReferences())
        .isEqualTo(job.getMetadata().getOwnerReferences());
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("31");
    assertThat(cached.getMetadata().getUid()).isEqualTo("job-uid");
    assertThat(cached.getMetadata().getCreationTimestamp()).isEqualTo("2026-12-02T09:00:00Z");
    assertThat(cached.getSpec().getTemplate().getSpec().getContainers()).singleElement()
        .satisfies(c -> {
          assertThat(c.getImage()).isEqualTo("registry.example/wps-api:pr-1");
          assertThat(c.getEnv()).isEmpty();
        });
    assertThat(Serialization.asJson(cached)).doesNotContain("secretKeyRef");
  }

  @Test
  void aWorkloadKeepsItsContainersImagesForImageFrom() {
    Deployment deployment = new DeploymentBuilder().withNewMetadata().withNamespace("pr-1")
        .withName("wps-api").withResourceVersion("7").addToAnnotations("helm", "x").endMetadata()
        .withNewSpec().withReplicas(3).withNewTemplate().withNewMetadata()
        .addToLabels("app", "wps").endMetadata().withNewSpec()
        .addNewContainer().withName("api").withImage("registry.example/wps-api:pr-1")
        .addNewEnv().withName("A").withValue("b").endEnv().endContainer()
        .addNewContainer().withName("sidecar").withImage("envoy:1").endContainer()
        .endSpec().endTemplate().endSpec().withNewStatus().withReplicas(3).endStatus().build();
    StatefulSet statefulSet = new StatefulSetBuilder().withNewMetadata().withNamespace("pr-1")
        .withName("worker").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
        .addNewContainer().withName("api").withImage("registry.example/wps-api:pr-2")
        .endContainer().endSpec().endTemplate().endSpec().build();
    ImageSource api = source("api", WorkloadKind.Deployment);
    ImageSource missing = source("nginx", WorkloadKind.Deployment);

    Deployment cached = CachedForms.deployment(deployment);

    assertThat(FollowedImage.of(api, cached.getSpec().getTemplate()))
        .isEqualTo(FollowedImage.of(api, deployment.getSpec().getTemplate()))
        .isEqualTo(new FollowedImage.Found("registry.example/wps-api:pr-1"));
    assertThat(FollowedImage.of(missing, cached.getSpec().getTemplate()))
        .isEqualTo(FollowedImage.of(missing, deployment.getSpec().getTemplate()));
    assertThat(cached.getStatus()).isNull();
    assertThat(cached.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .isNullOrEmpty();
    assertThat(FollowedImage.of(source("api", WorkloadKind.StatefulSet),
        CachedForms.statefulSet(statefulSet).getSpec().getTemplate()))
        .isEqualTo(new FollowedImage.Found("registry.example/wps-api:pr-2"));
  }

  private static ImageSource source(String container, WorkloadKind kind) {
    ImageSource source = new ImageSource();
    source.setKind(kind);
    source.setName("wps-api");
    source.setContainer(container);
    return source;
  }

  private static Pod databasePod(String name, String role, String phase, boolean ready,
      String ip, String deletion) {
    return new PodBuilder().withNewMetadata().withNamespace("pr-1").withName(name)
        .withUid("uid-" + name).withResourceVersion("9")
        .withCreationTimestamp("2026-12-02T09:00:00Z").withDeletionTimestamp(deletion)
        .addToLabels("cluster-name", "patroni-wps").addToLabels("role", role)
        .addToLabels("application", "spilo")
        .addToAnnotations("status", "{\"role\":\"" + role + "\",\"xlog_location\":50331648}")
        .addToManagedFields(new ManagedFieldsEntryBuilder().withManager("patroni")
            .withOperation("Update").withApiVersion("v1").build())
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("StatefulSet")
        .withName("patroni-wps").withUid("sts").withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withNodeName("worker-1").addNewContainer().withName("postgres")
        .withImage("spilo-15:3.0").addNewEnv().withName("PGROOT").withValue("/pg").endEnv()
        .addNewPort().withContainerPort(5432).endPort().endContainer().endSpec()
        .withNewStatus().withPhase(phase).withPodIP(ip).withHostIP("192.0.2.1")
        .addNewCondition().withType("Initialized").withStatus("True").endCondition()
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .addNewCondition().withType("ContainersReady").withStatus(ready ? "True" : "False")
        .endCondition()
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .addNewContainerStatus().withName("postgres").withImage("spilo-15:3.0")
        .withImageID("sha256:x").withContainerID("containerd://y").withReady(ready)
        .withRestartCount(0).withNewState().withNewRunning().withStartedAt("2026-12-02T09:00:05Z")
        .endRunning().endState().endContainerStatus().endStatus()
        .build();
  }

  private static Pod jobPod(String job, Pod withStatus) {
    return new PodBuilder(withStatus).withNewMetadata().withNamespace("pr-1").withName(job + "-p")
        .withCreationTimestamp("2026-12-02T09:50:00Z")
        .addToLabels(JobPodOutput.JOB_NAME_LABEL, job)
        .addToLabels("app.kubernetes.io/managed-by", "database-migration-operator")
        .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(job)
        .withUid("job-uid").withController(true).endOwnerReference().endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("migrate")
        .withImage("app:pr-1").endContainer().endSpec().build();
  }

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes());
  }
}
