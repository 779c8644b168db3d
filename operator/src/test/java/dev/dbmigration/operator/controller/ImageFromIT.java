package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.ImageSource;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.api.v1alpha1.WorkloadKind;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** imageFrom on the real API server: the migration follows the app's image, once per image. */
class ImageFromIT {

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
    client.close();
  }

  @Test
  void aRolloutOfANewImageRunsTheMigrationAgainWithThatImage() throws Exception {
    ReachableEnvironment env = ReachableEnvironment.create(cluster, "follow", "wps-api");
    DatabaseMigration dbm = env.migration();
    dbm.getSpec().setImage(null);
    dbm.getSpec().setImageFrom(new ImageSource(WorkloadKind.Deployment, "wps-api", "api"));
    cluster.apply(dbm);

    DatabaseMigrationStatus missing = env.awaitStatus(
        s -> Reasons.IMAGE_SOURCE_NOT_FOUND.equals(ReachableEnvironment.readyReason(s)));
    assertThat(missing.getMessage()).contains("Deployment wps-api");
    assertThat(cluster.jobs(env.namespace())).isEmpty();

    deployment(env, "registry.example/wps-api:pr-1234-build-1");
    Job first = env.awaitJobs(1).get(0);
    assertThat(image(first)).isEqualTo("registry.example/wps-api:pr-1234-build-1");
    cluster.completeJob(env.namespace(), first.getMetadata().getName());
    env.awaitStatus(s -> s.getPhase() == Phase.Succeeded);

    // A change of anything but the followed container's image starts nothing.
    deployment(env, "registry.example/wps-api:pr-1234-build-1", "proxy:2");
    deployment(env, "registry.example/wps-api:pr-1234-build-2", "proxy:2");
    List<Job> jobs = env.awaitJobs(2);
    Job second = jobs.stream().filter(j -> !j.getMetadata().getName()
        .equals(first.getMetadata().getName())).findFirst().orElseThrow();
    assertThat(image(second)).isEqualTo("registry.example/wps-api:pr-1234-build-2");
    String secondName = second.getMetadata().getName();
    cluster.completeJob(env.namespace(), secondName);

    DatabaseMigrationStatus done = env.awaitStatus(
        s -> s.getPhase() == Phase.Succeeded && secondName.equals(s.getJobName()));
    assertThat(done.getImage()).isEqualTo("registry.example/wps-api:pr-1234-build-2");
    assertThat(done.getObservedGeneration()).isEqualTo(1L);
    assertThat(done.getHistory()).extracting(r -> r.getImage()).containsExactly(
        "registry.example/wps-api:pr-1234-build-1", "registry.example/wps-api:pr-1234-build-2");
    assertThat(done.getHistory()).allSatisfy(r -> {
      assertThat(r.getResult()).isEqualTo("Succeeded");
      assertThat(r.getTo()).isEqualTo("base");
    });
    assertThat(cluster.jobs(env.namespace())).hasSize(2);
  }

  @Test
  void followsAStatefulSetContainer() throws Exception {
    ReachableEnvironment env = ReachableEnvironment.create(cluster, "follow-sts",
        "wps-api");
    client.apps().statefulSets().inNamespace(env.namespace()).resource(
        new StatefulSetBuilder().withNewMetadata().withName("wps-worker").endMetadata()
            .withNewSpec().withServiceName("wps-worker")
            .withNewSelector().withMatchLabels(Map.of("app", "wps-worker")).endSelector()
            .withTemplate(template("wps-worker", "registry.example/wps-worker:7", null))
            .endSpec().build()).create();
    DatabaseMigration dbm = env.migration();
    dbm.getSpec().setImage(null);
    dbm.getSpec().setImageFrom(new ImageSource(WorkloadKind.StatefulSet, "wps-worker", "api"));
    cluster.apply(dbm);

    assertThat(image(env.awaitJobs(1).get(0))).isEqualTo("registry.example/wps-worker:7");
  }

  private static void deployment(ReachableEnvironment env, String apiImage) {
    deployment(env, apiImage, null);
  }

  private static void deployment(ReachableEnvironment env, String apiImage, String proxyImage) {
    client.apps().deployments().inNamespace(env.namespace()).resource(
        new DeploymentBuilder().withNewMetadata().withName("wps-api").endMetadata()
            .withNewSpec()
            .withNewSelector().withMatchLabels(Map.of("app", "wps-api")).endSelector()
            .withTemplate(template("wps-api", apiImage, proxyImage))
            .endSpec().build()).serverSideApply();
  }

  private static PodTemplateSpec template(String app, String apiImage, String proxyImage) {
    PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Map.of("app", app)).endMetadata()
        .withNewSpec().addNewContainer().withName("api").withImage(apiImage).endContainer()
        .endSpec();
    if (proxyImage != null) {
      template.editSpec().addNewContainer().withName("proxy").withImage(proxyImage).endContainer()
          .endSpec();
    }
    return template.build();
  }

  private static String image(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
