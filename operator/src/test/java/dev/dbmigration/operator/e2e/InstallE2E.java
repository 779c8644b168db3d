package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;

/**
 * The operator installed from its image the two ways the README gives, each running as its own
 * ServiceAccount with exactly the RBAC it ships, in a namespace enforcing the restricted Pod
 * Security profile: it becomes Ready and /metrics answers. Runs first: the kustomize install is
 * taken away again before the Helm release the other scenarios share is installed.
 */
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallE2E {

  static RealCluster cluster;

  @BeforeAll
  static void cluster() {
    cluster = RealCluster.get();
  }

  @Test
  @Order(1)
  void withKubectlApplyServerSideKDeployTheOperatorRunsRestrictedAndServesMetrics()
      throws Exception {
    OperatorInstall operator = OperatorInstall.kustomize(cluster);
    try {
      Pod pod = operator.pods().get(0);
      String observed = describe(pod) + ", /metrics " + scrape("http://"
          + pod.getStatus().getPodIP() + ":8080/metrics");
      ScenarioTable.E2E.row("install with kubectl apply --server-side -k deploy/",
          "Ready as database-migration-operator, restricted, no fixed UID, /metrics answers",
          observed);
      assertThat(observed).isEqualTo("Ready as database-migration-operator, restricted, no fixed"
          + " UID, /metrics answers");
    } finally {
      operator.uninstall();
      await("deploy/ removed").atMost(Duration.ofMinutes(2))
          .until(() -> cluster.client().namespaces().withName(operator.namespace()).get() == null);
    }
  }

  @Test
  @Order(2)
  void withHelmTheOperatorRunsRestrictedAndServesMetricsThroughItsService() throws Exception {
    OperatorInstall operator = OperatorInstall.shared(cluster);
    Pod pod = operator.pods().get(0);
    Service service = cluster.client().services().inNamespace(operator.namespace())
        .withName(operator.release() + "-database-migration-operator-metrics").get();
    String url = "http://" + service.getSpec().getClusterIP() + ":8080/metrics";
    String observed = describe(pod) + ", runs as " + pod.getSpec().getSecurityContext()
        .getRunAsUser() + ", /metrics " + scrape(url);
    ScenarioTable.E2E.row("install with Helm (helm-java), UID assigned from outside",
        "Ready as dmo-database-migration-operator, restricted, no fixed UID, runs as "
            + RealCluster.ASSIGNED_UID + ", /metrics answers", observed);
    assertThat(observed).isEqualTo("Ready as dmo-database-migration-operator, restricted, no"
        + " fixed UID, runs as " + RealCluster.ASSIGNED_UID + ", /metrics answers");
  }

  /** Ready, as whom, under which profile, and whether the shipped manifest fixes a UID. */
  static String describe(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    String enforced = cluster.client().namespaces().withName(namespace).get().getMetadata()
        .getLabels().get("pod-security.kubernetes.io/enforce");
    var template = cluster.client().apps().deployments().inNamespace(namespace).list()
        .getItems().get(0).getSpec().getTemplate().getSpec();
    boolean fixedUid = template.getSecurityContext().getRunAsUser() != null
        || template.getContainers().stream().anyMatch(c -> c.getSecurityContext() != null
            && c.getSecurityContext().getRunAsUser() != null);
    return (RealCluster.isReady(pod) ? "Ready" : "not ready") + " as "
        + pod.getSpec().getServiceAccountName() + ", " + enforced + ", "
        + (fixedUid ? "a fixed UID" : "no fixed UID");
  }

  /** "answers" once the operator's metrics carry its leader gauge. */
  static String scrape(String url) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return await("GET " + url).atMost(Duration.ofMinutes(1)).ignoreExceptions()
        .until(() -> {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
          return response.statusCode() == 200
              && response.body().contains("dbmigration_operator_leader") ? "answers"
              : "HTTP " + response.statusCode();
        }, "answers"::equals);
  }
}
