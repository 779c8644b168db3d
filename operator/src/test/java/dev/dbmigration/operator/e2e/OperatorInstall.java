package dev.dbmigration.operator.e2e;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The operator as a user installs it: its image (the Jib tarball this build made, imported into
 * the cluster's containerd), with the real Helm (helm-java) and the chart under helm/, or with
 * {@code kubectl apply --server-side -k deploy/}. It then runs as its ServiceAccount with exactly
 * the RBAC it ships.
 */
public final class OperatorInstall {

  public static final String IMAGE = "ghcr.io/dbmigration/database-migration-operator:0.1.0";
  static final Path CHART = RealCluster.REPO.resolve("helm/database-migration-operator");
  static final Path IMAGE_TAR = RealCluster.REPO.resolve("operator/target/jib-image.tar");
  static final Duration READY = Duration.ofMinutes(3);
  /** The release most scenarios share: installed once per run by Helm, watching every namespace. */
  static final String SHARED_RELEASE = "dmo";
  static final String SHARED_NAMESPACE = "dmo-system";
  private static boolean imageLoaded;
  private static OperatorInstall shared;

  private final RealCluster cluster;
  private final String release;
  private final String namespace;

  private OperatorInstall(RealCluster cluster, String release, String namespace) {
    this.cluster = cluster;
    this.release = release;
    this.namespace = namespace;
  }

  /** Imports the operator image this build made, once per test run. */
  static synchronized void loadImage(RealCluster cluster) {
    if (imageLoaded) {
      return;
    }
    if (!Files.isReadable(IMAGE_TAR)) {
      throw new IllegalStateException(IMAGE_TAR + " is missing: build with -Pimage");
    }
    RealCluster.Result imported = cluster.script("hack/cluster/import-image.sh",
        IMAGE_TAR.toString());
    if (imported.exitCode() != 0) {
      throw new IllegalStateException("import of " + IMAGE_TAR + " failed:\n"
          + imported.output());
    }
    imageLoaded = true;
  }

  /**
   * The operator the scenarios share, installed with Helm into a namespace that enforces the
   * restricted Pod Security profile, with its metrics Service; installed on first use, so a
   * scenario class also runs alone.
   */
  public static synchronized OperatorInstall shared(RealCluster cluster) {
    if (shared == null) {
      if (cluster.client().namespaces().withName(SHARED_NAMESPACE).get() == null) {
        // OpenShift-like: the operator's pod runs as a UID assigned from outside.
        cluster.client().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
            .withNewMetadata().withName(SHARED_NAMESPACE)
            .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
            .addToLabels(RealCluster.UID_POLICY_LABEL, "true")
            .addToAnnotations(RealCluster.UID_RANGE, RealCluster.ASSIGNED_UID + "/10000")
            .endMetadata().build()).create();
      }
      // An operator an earlier run left runs an earlier image: this run installs its own.
      if (!cluster.client().apps().deployments().inNamespace(SHARED_NAMESPACE).list()
          .getItems().isEmpty()) {
        new OperatorInstall(cluster, SHARED_RELEASE, SHARED_NAMESPACE).uninstall();
        await("the earlier run's operator gone").atMost(READY).until(() -> cluster.client()
            .pods().inNamespace(SHARED_NAMESPACE).list().getItems().isEmpty());
      }
      shared = helm(cluster, SHARED_RELEASE, SHARED_NAMESPACE, sharedValues());
      shared.awaitReady();
    }
    return shared;
  }

  /** Uninstalls the shared release (the tier's last scenario). */
  static synchronized void uninstallShared() {
    if (shared != null) {
      shared.uninstall();
      shared = null;
    }
  }

  /** The shared release's values: the chart's defaults, with the metrics Service. */
  static Map<String, Object> sharedValues() {
    return Map.of("metrics.enabled", true);
  }

  /**
   * {@code helm install RELEASE helm/database-migration-operator -n NAMESPACE} with these values,
   * waiting until the operator is ready.
   */
  public static OperatorInstall helm(RealCluster cluster, String release, String namespace,
      Map<String, Object> values) {
    loadImage(cluster);
    // Helm installs a chart's CRD only where there is none and never upgrades it; the README
    // has users apply crds/ after an upgrade, and so does this, or the operator is not ready
    // (it checks the installed CRD is its own).
    cluster.kubectl("apply", "--server-side", "--force-conflicts", "-k",
        RealCluster.REPO.resolve("crds").toString());
    InstallCommand install = new Helm(CHART).install().withName(release)
        .withNamespace(namespace).withKubeConfig(cluster.kubeconfig()).withTimeout(180);
    for (Map.Entry<String, Object> value : values.entrySet()) {
      install = install.set(value.getKey(), value.getValue());
    }
    install.call();
    OperatorInstall operator = new OperatorInstall(cluster, release, namespace);
    operator.awaitReady();
    return operator;
  }

  /** {@code kubectl apply --server-side -k deploy/}: the CRD, namespace, RBAC, Deployment. */
  public static OperatorInstall kustomize(RealCluster cluster) {
    loadImage(cluster);
    // --force-conflicts: a CRD an earlier test run applied with another field manager.
    cluster.kubectl("apply", "--server-side", "--force-conflicts", "-k",
        RealCluster.REPO.resolve("deploy").toString());
    OperatorInstall operator = new OperatorInstall(cluster, "database-migration-operator",
        "database-migration-operator");
    operator.awaitReady();
    return operator;
  }

  /** {@code helm upgrade} of this release with these values (the others reset to defaults). */
  public void upgrade(Map<String, Object> values) {
    UpgradeCommand upgrade = new Helm(CHART).upgrade().withName(release).withNamespace(namespace)
        .withKubeConfig(cluster.kubeconfig()).withTimeout(180);
    for (Map.Entry<String, Object> value : values.entrySet()) {
      upgrade = upgrade.set(value.getKey(), value.getValue());
    }
    upgrade.call();
  }

  public String namespace() {
    return namespace;
  }

  public String release() {
    return release;
  }

  /** The Deployment, whichever way it was installed. */
  public Deployment deployment() {
    return cluster.client().apps().deployments().inNamespace(namespace).list().getItems().stream()
        .filter(d -> d.getMetadata().getName().startsWith(release)
            || d.getMetadata().getName().equals("database-migration-operator"))
        .findFirst().orElseThrow(() -> new IllegalStateException("no operator Deployment in "
            + namespace));
  }

  /** The operator's pods, Running or not. */
  public List<Pod> pods() {
    Map<String, String> selector = deployment().getSpec().getSelector().getMatchLabels();
    return cluster.client().pods().inNamespace(namespace).withLabels(selector).list().getItems();
  }

  /** Waits until every replica asked for is available (its /readyz answers). */
  public void awaitReady() {
    await("operator " + namespace + "/" + release + " ready").atMost(READY)
        .pollInterval(Duration.ofMillis(500)).until(() -> {
          Deployment d = deployment();
          Integer wanted = d.getSpec().getReplicas();
          Integer available = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
          return wanted != null && available != null && available.intValue() == wanted.intValue()
              && pods().stream().filter(RealCluster::isReady).count() == wanted;
        });
  }

  /** Scales the operator (0 stops it, as an outage or a maintenance window would). */
  public void scale(int replicas) {
    cluster.client().apps().deployments().inNamespace(namespace)
        .withName(deployment().getMetadata().getName()).scale(replicas);
    if (replicas == 0) {
      await("operator stopped").atMost(READY).until(() -> pods().isEmpty());
    } else {
      awaitReady();
    }
  }

  /** The operator's log, for a failing scenario's report. */
  public String logs() {
    return cluster.kubectlResult("logs", "-n", namespace, "deployment/"
        + deployment().getMetadata().getName(), "--all-containers", "--tail=200").output();
  }

  /** {@code helm uninstall} (or {@code kubectl delete -k deploy/}), and its namespace. */
  public void uninstall() {
    if (release.equals("database-migration-operator")
        && namespace.equals("database-migration-operator")) {
      cluster.kubectlResult("delete", "-k", RealCluster.REPO.resolve("deploy").toString(),
          "--ignore-not-found", "--wait=true");
      return;
    }
    Helm.uninstall(release).withNamespace(namespace).withKubeConfig(cluster.kubeconfig())
        .ignoreNotFound().call();
  }
}
