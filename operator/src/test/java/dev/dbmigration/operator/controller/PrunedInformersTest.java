package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

/** Which changes wake the resources: those that change what decisions read, and no other. */
class PrunedInformersTest {

  @Test
  void aPodWakesItsResourcesOnlyWhenWhatLeaderSelectionReadsChanges() {
    Pod pod = pod("master", "True", "{\"xlog_location\":1}", "10.1.0.5");
    Pod cached = CachedForms.pod(pod);

    assertThat(PrunedInformers.unchanged(CachedForms::pod, cached,
        pod("master", "True", "{\"xlog_location\":2}", "10.1.0.5")))
        .as("Patroni rewriting its status annotation").isTrue();
    assertThat(PrunedInformers.unchanged(CachedForms::pod, cached,
        pod("replica", "True", "{\"xlog_location\":1}", "10.1.0.5"))).as("a failover").isFalse();
    assertThat(PrunedInformers.unchanged(CachedForms::pod, cached,
        pod("master", "False", "{\"xlog_location\":1}", "10.1.0.5"))).as("not Ready").isFalse();
    assertThat(PrunedInformers.unchanged(CachedForms::pod, cached,
        pod("master", "True", "{\"xlog_location\":1}", "10.1.0.9"))).as("a new IP").isFalse();
    assertThat(PrunedInformers.unchanged(CachedForms::pod, null, pod)).isFalse();
  }

  @Test
  void aSecretWakesItsResourceWhenItsKeysChangeNotItsValues() {
    Secret cached = CachedForms.secret(secret("app-db-password", "czNjcjN0"));

    assertThat(PrunedInformers.unchanged(CachedForms::secret, cached,
        secret("app-db-password", "bmV3"))).as("a rotated password").isTrue();
    assertThat(PrunedInformers.unchanged(CachedForms::secret, cached,
        secret("app-db-password", ""))).as("an emptied key").isFalse();
    assertThat(PrunedInformers.unchanged(CachedForms::secret, cached,
        secret("password", "czNjcjN0"))).as("a renamed key").isFalse();
  }

  @Test
  void aWorkloadWakesItsFollowersWhenAnImageChangesNotWhenItScales() {
    Deployment cached = CachedForms.deployment(deployment("app:pr-1", 3));

    assertThat(PrunedInformers.unchanged(CachedForms::deployment, cached,
        deployment("app:pr-1", 5))).isTrue();
    assertThat(PrunedInformers.unchanged(CachedForms::deployment, cached,
        deployment("app:pr-2", 3))).isFalse();
  }

  private static Pod pod(String role, String ready, String annotation, String ip) {
    return new PodBuilder().withNewMetadata().withNamespace("pr-1").withName("patroni-0")
        .withResourceVersion(String.valueOf(annotation.hashCode()))
        .addToLabels("cluster-name", "patroni").addToLabels("role", role)
        .addToAnnotations("status", annotation).endMetadata()
        .withNewSpec().addNewContainer().withName("postgres").withImage("spilo").endContainer()
        .endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).addNewCondition().withType("Ready")
        .withStatus(ready).endCondition().endStatus().build();
  }

  private static Secret secret(String key, String value) {
    return new SecretBuilder().withNewMetadata().withNamespace("pr-1").withName("creds")
        .withResourceVersion(key + value).endMetadata().addToData("app-db-name", "d3Bz")
        .addToData(key, value).build();
  }

  private static Deployment deployment(String image, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withNamespace("pr-1").withName("app")
        .withResourceVersion(image + replicas).endMetadata().withNewSpec()
        .withReplicas(replicas).withNewTemplate().withNewSpec().addNewContainer()
        .withName("api").withImage(image).endContainer().endSpec().endTemplate().endSpec()
        .build();
  }
}
