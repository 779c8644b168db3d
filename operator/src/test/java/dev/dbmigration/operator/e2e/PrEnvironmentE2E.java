package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A pull request's environment from birth to deletion, with examples/pr-preview installed by the
 * real Helm, in an OpenShift-like namespace (its pods get a UID from outside): installed before
 * its Patroni cluster exists, migrated once it does, rebuilt with a new image that carries a new
 * revision (while the operator is down, so the new pods must wait for the right migration, not
 * the previous build's), and closed: uninstalled and its namespace deleted with the operator
 * stopped.
 */
@Order(7)
class PrEnvironmentE2E extends ClusterScenario {

  static final Path CHART = RealCluster.REPO.resolve("examples/pr-preview");
  static final String BUILD_2_HEAD = "9a0b1c2d3e4f";

  @AfterEach
  void operatorBack() {
    if (operator.pods().isEmpty()) {
      operator.scale(1);
    }
  }

  @Test
  void aPullRequestsEnvironmentLivesAndDiesWithoutTheOperatorInTheWay() throws Exception {
    String ns = cluster.newNamespace("wps-pr-4321", true);
    String database = "patroni-wps-pr-4321";

    // 1. Installed before its database runs (its chart made the Secret, the cluster is not up):
    // waiting, and the app held in its init container.
    ClusterDatabase db = ClusterDatabase.patroniSecret(cluster, ns, database);
    install(ns, database, "build-1");
    DatabaseMigrationStatus waiting = migrations.await(ns, "wps-api", "WaitingForDatabase",
        Migrations.RUN, s -> s.getPhase() == Phase.WaitingForDatabase);
    await("the app pod held in Init").atMost(Migrations.RUN)
        .until(() -> cluster.kubectl("get", "pods", "-n", ns, "-l",
            "app.kubernetes.io/name=wps-api").contains("Init:0/1"));
    String held = cluster.kubectl("get", "pods", "-n", ns, "-l", "app.kubernetes.io/name=wps-api");
    System.out.println("kubectl get pods -n " + ns + " (before the database)\n" + held);

    // 2. The Patroni cluster comes up: migrated to build 1's head, then the app starts.
    db.startPatroni();
    DatabaseMigrationStatus first = migrations.await(ns, "wps-api", "build-1 migrated",
        Migrations.RUN, s -> s.getPhase() == Phase.Succeeded);
    Pod app1 = awaitAppRunning(ns, "localhost/wps-api:build-1");
    String firstSeen = Migrations.readyReason(waiting) + " then " + first.getPhase() + " at "
        + first.getRevision().getCurrent() + " (database " + db.revision() + "), app "
        + (startedAfter(app1, first) ? "started after it" : "STARTED BEFORE IT");

    // 3. A rebuild while the operator is down: the new pods must not start on build 1's success.
    operator.scale(0);
    upgrade(ns, database, "build-2");
    Pod waitingPod = await("the build-2 app pod").atMost(Migrations.RUN)
        .until(() -> appPod(ns, "localhost/wps-api:build-2"), Optional::isPresent).get();
    await("build-2's pod stays in Init while its migration has not run")
        .during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(40))
        .until(() -> appPod(ns, "localhost/wps-api:build-2").map(p -> !isAppRunning(p))
            .orElse(true));
    operator.scale(1);
    DatabaseMigrationStatus second = migrations.await(ns, "wps-api", "build-2 migrated",
        Migrations.RUN, s -> s.getPhase() == Phase.Succeeded
            && "localhost/wps-api:build-2".equals(s.getImage()));
    Pod app2 = awaitAppRunning(ns, "localhost/wps-api:build-2");
    long runs = second.getHistory().stream()
        .filter(r -> "localhost/wps-api:build-2".equals(r.getImage())).count();
    String rebuilt = second.getPhase() + " at " + second.getRevision().getCurrent()
        + " (database " + db.revision() + "), " + runs + " run for build-2, app "
        + (startedAfter(app2, second) ? "started after it" : "STARTED BEFORE IT");
    assertThat(waitingPod.getMetadata().getName()).isEqualTo(app2.getMetadata().getName());
    assertThat(app2.getSpec().getSecurityContext().getRunAsUser())
        .isEqualTo(RealCluster.ASSIGNED_UID);

    // 4. The PR closes while the operator is stopped: nothing waits for it.
    operator.scale(0);
    Helm.uninstall("pr-4321").withNamespace(ns).withKubeConfig(cluster.kubeconfig()).call();
    Duration gone = cluster.deleteNamespace(ns, Duration.ofMinutes(3));
    operator.scale(1);

    String observed = firstSeen + "; rebuild: " + rebuilt + "; closed with the operator at 0:"
        + " namespace gone";
    ScenarioTable.E2E.row("a PR environment's life (pr-preview chart, Patroni, UID from outside)",
        Reasons.LEADER_NOT_FOUND + " then Succeeded at " + Migrations.HEAD + " (database "
            + Migrations.HEAD + "), app started after it; rebuild: Succeeded at " + BUILD_2_HEAD
            + " (database " + BUILD_2_HEAD + "), 1 run for build-2, app started after it; closed"
            + " with the operator at 0: namespace gone (in " + gone.toSeconds() + " s)",
        observed + " (in " + gone.toSeconds() + " s)");
    assertThat(observed).isEqualTo(Reasons.LEADER_NOT_FOUND + " then Succeeded at "
        + Migrations.HEAD + " (database " + Migrations.HEAD + "), app started after it; rebuild:"
        + " Succeeded at " + BUILD_2_HEAD + " (database " + BUILD_2_HEAD + "), 1 run for"
        + " build-2, app started after it; closed with the operator at 0: namespace gone");
  }

  private static Map<String, String> values(String database, String tag) {
    return Map.of("pr", "4321", "image.repository", "localhost/wps-api", "image.tag", tag,
        "migration.clusterName", database, "migration.credentialsSecret", database + "-db");
  }

  private static void install(String ns, String database, String tag) {
    InstallCommand install = new Helm(CHART).install().withName("pr-4321").withNamespace(ns)
        .withKubeConfig(cluster.kubeconfig());
    for (Map.Entry<String, String> value : values(database, tag).entrySet()) {
      install = install.set(value.getKey(), value.getValue());
    }
    install.call();
  }

  private static void upgrade(String ns, String database, String tag) {
    UpgradeCommand upgrade = new Helm(CHART).upgrade().withName("pr-4321").withNamespace(ns)
        .withKubeConfig(cluster.kubeconfig());
    for (Map.Entry<String, String> value : values(database, tag).entrySet()) {
      upgrade = upgrade.set(value.getKey(), value.getValue());
    }
    upgrade.call();
  }

  private static Optional<Pod> appPod(String ns, String image) {
    List<Pod> pods = cluster.client().pods().inNamespace(ns)
        .withLabel("app.kubernetes.io/name", "wps-api").list().getItems();
    return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
        && p.getSpec().getContainers().stream().anyMatch(c -> image.equals(c.getImage())))
        .findFirst();
  }

  private static Pod awaitAppRunning(String ns, String image) {
    return await("the app of " + image + " running").atMost(Migrations.RUN)
        .until(() -> appPod(ns, image).filter(PrEnvironmentE2E::isAppRunning).orElse(null),
            p -> p != null);
  }

  private static boolean isAppRunning(Pod pod) {
    return app(pod).map(c -> c.getState() != null && c.getState().getRunning() != null)
        .orElse(false);
  }

  private static Optional<ContainerStatus> app(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? Optional.empty() : pod.getStatus().getContainerStatuses().stream()
            .filter(c -> "api".equals(c.getName())).findFirst();
  }

  /** The app container started once its migration had completed (Kubernetes' own times). */
  private static boolean startedAfter(Pod pod, DatabaseMigrationStatus migration) {
    Instant started = Instant.parse(app(pod).orElseThrow().getState().getRunning().getStartedAt());
    return !started.isBefore(Instant.parse(migration.getCompletionTime()));
  }
}
