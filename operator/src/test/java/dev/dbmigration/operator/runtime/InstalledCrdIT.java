package dev.dbmigration.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.testing.CapturedLog;
import dev.dbmigration.operator.testing.DryRunApply;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stale CRD on the real kube-apiserver: the CRD of the release before the CRD became the
 * validator (src/test/resources/crds) makes the operator not ready, saying so on /readyz and once
 * in its log at ERROR, while it goes on reconciling; applying the current CRD makes it ready
 * again without a restart. Under the old CRD a resource without a spec gets in, and stays stored
 * after the update: the one rule the operator still checks itself answers it Invalid.
 */
class InstalledCrdIT {

  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final File PREVIOUS_CRD = new File("operator/src/test/resources/crds/before-the-crd-validated.yml");

  static KubernetesClient client;
  static TestCluster cluster;
  static String ns;

  @BeforeAll
  static void start() {
    client = KubeApiServerSupport.newClient();
    cluster = new TestCluster(client);
  }

  @AfterAll
  static void restore() {
    // The API server outlives this class: the classes after it expect the current CRD, and
    // operators of their own that would meet the resource without a spec.
    if (client != null) {
      KubeApiServerSupport.applyCrd(client);
      if (ns != null) {
        client.genericKubernetesResources(DryRunApply.DBM).inNamespace(ns).delete();
      }
      client.close();
    }
  }

  @Test
  void aStaleCrdFailsReadinessSayingHowToUpdateItAndTheCurrentOneClearsIt() throws Exception {
    KubeApiServerSupport.applyCrd(client, PREVIOUS_CRD);
    ns = cluster.newNamespace("stale-crd");
    // Refused by the current CRD (spec is required), let in by the previous one.
    client.genericKubernetesResources(DryRunApply.DBM).inNamespace(ns)
        .resource(withoutSpec(ns)).create();

    try (CapturedLog log = CapturedLog.start(Map.of());
         MigrationOperator operator = new MigrationOperator(client, new OperatorSettings(Set.of(), 0));
         HealthServer health = new HealthServer(0, operator::notReadyBecause)) {
      operator.start();

      assertThat(operator.installedCrd()).isEqualTo(InstalledCrdCheck.State.STALE);
      String readyz = await("/readyz answers").atMost(TIMEOUT).until(() -> get(health, "/readyz"),
          r -> r.startsWith("503 "));
      assertThat(readyz).contains("not ready: the installed CustomResourceDefinition "
              + "databasemigrations.dbmigration.dev is not the one this operator was built with",
          // Each new field of the API is another difference, listed before or after this one.
          "its v1alpha1 schema differs at ",
          "spec.database.credentialsSecret.keys.database pattern",
          "kubectl apply --server-side --force-conflicts -k crds/");
      assertThat(get(health, "/healthz")).startsWith("200 ");

      DatabaseMigrationStatus answered = await("the resource without a spec is answered")
          .atMost(TIMEOUT).until(() -> status(ns), s -> s != null && s.getPhase() != null);
      assertThat(answered.getPhase()).as("reconciling goes on").isEqualTo(Phase.Invalid);
      assertThat(answered.getMessage()).isEqualTo("spec: is required");
      assertThat(answered.getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Ready");
        assertThat(c.getReason()).isEqualTo(Reasons.INVALID_SPEC);
      });

      KubeApiServerSupport.applyCrd(client);

      await("ready once the current CRD is installed, without a restart").atMost(TIMEOUT)
          .pollInterval(Duration.ofSeconds(1)).until(operator::isReady);
      assertThat(get(health, "/readyz")).isEqualTo("200 ok");
      assertThat(operator.installedCrd()).isEqualTo(InstalledCrdCheck.State.CURRENT);
      assertThat(status(ns).getPhase()).as("stored before the update, still without a spec")
          .isEqualTo(Phase.Invalid);
      assertThat(log.events().stream().filter(e -> e.getLevel() == Level.ERROR
              && e.getLoggerName().equals(InstalledCrdCheck.class.getName()))
          .map(log::format).toList()).as("logged once at ERROR").singleElement().asString()
          .contains("is not the one this operator was built with");
      assertThat(log.lines()).anyMatch(l -> l.contains("is now the one this operator was built with"));
    }
  }

  @Test
  void theCurrentCrdIsReadyAtOnce() {
    KubeApiServerSupport.applyCrd(client);
    try (MigrationOperator operator = new MigrationOperator(client, new OperatorSettings(Set.of(), 0))) {
      operator.start();

      assertThat(operator.installedCrd()).isEqualTo(InstalledCrdCheck.State.CURRENT);
      await("ready").atMost(TIMEOUT).until(operator::isReady);
    }
  }

  static GenericKubernetesResource withoutSpec(String namespace) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(DatabaseMigration.GROUP + "/" + DatabaseMigration.VERSION)
        .withKind("DatabaseMigration")
        .withNewMetadata().withName("no-spec").withNamespace(namespace).endMetadata()
        .build();
  }

  static DatabaseMigrationStatus status(String namespace) {
    GenericKubernetesResource r = client.genericKubernetesResources(DryRunApply.DBM)
        .inNamespace(namespace).withName("no-spec").get();
    Object status = r == null ? null : r.getAdditionalProperties().get("status");
    return status == null ? null
        : client.getKubernetesSerialization().convertValue(status, DatabaseMigrationStatus.class);
  }

  /** "STATUS body", the body without its trailing newline. */
  static String get(HealthServer health, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + health.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().strip();
  }
}
