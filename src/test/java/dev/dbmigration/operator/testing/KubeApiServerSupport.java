package dev.dbmigration.operator.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One real kube-apiserver (with etcd) per test JVM, started by fabric8's kube-api-test from the
 * binaries that {@code hack/kube-binaries/build.sh} built. Never downloads: offline mode is on.
 */
public final class KubeApiServerSupport {

  public static final String CRD_NAME = "databasemigrations.dbmigration.dev";

  private static KubeAPIServer server;
  private static String kubeConfigYaml;

  private KubeApiServerSupport() {
  }

  /** Kubeconfig of the shared API server, started on first use; skips or fails without binaries. */
  public static synchronized String kubeConfigYaml() {
    if (server == null) {
      start();
    }
    return kubeConfigYaml;
  }

  /** A new admin client of the shared API server; the caller closes it. */
  public static KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml())).build();
  }

  public static Path binaryDir() {
    return Path.of(testDir(), "k8s", version() + "-linux-amd64");
  }

  /** Applies the CRD the build generated from the Java classes and waits until it is served. */
  public static void applyCrd(KubernetesClient client) {
    applyCrd(client, new File(System.getProperty("crd.dir", "target/classes/META-INF/fabric8"),
        CRD_NAME + "-v1.yml"));
  }

  /** Applies a version of the CRD (an older one, say) and waits until it is served. */
  public static void applyCrd(KubernetesClient client, File crd) {
    try (InputStream in = new FileInputStream(crd)) {
      CustomResourceDefinition loaded = client.apiextensions().v1().customResourceDefinitions()
          .load(in).item();
      loaded.getMetadata().setResourceVersion(null);
      client.resource(loaded).forceConflicts().serverSideApply();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the generated CRD " + crd, e);
    }
    client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME)
        .waitUntilCondition(c -> c != null && c.getStatus() != null
            && c.getStatus().getConditions().stream()
                .anyMatch(cond -> "Established".equals(cond.getType())
                    && "True".equals(cond.getStatus())), 30, TimeUnit.SECONDS);
  }

  private static void start() {
    Path binaries = binaryDir();
    for (String b : new String[] {"kube-apiserver", "etcd", "kubectl"}) {
      if (!Files.isExecutable(binaries.resolve(b))) {
        Prerequisites.missing(b + " in " + binaries + " (build it with hack/kube-binaries/build.sh)");
      }
    }
    KubeAPIServer started = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(testDir())
        .withApiServerVersion(version())
        .withOfflineMode(true)
        // On in OpenShift, off in a bare API server: setting blockOwnerDeletion on an owner
        // reference (the operator's Jobs do) then needs update on the owner's finalizers.
        // DeployRbacIT proves the install RBAC grants it.
        .withApiServerFlag("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
        .build());
    started.start();
    kubeConfigYaml = started.getKubeConfigYaml();
    server = started;
    Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "kube-apiserver-stop"));
  }

  private static String testDir() {
    String dir = System.getProperty("kube.api.test.dir");
    if (dir == null || dir.isBlank()) {
      dir = System.getenv().getOrDefault("KUBE_API_TEST_DIR",
          System.getProperty("user.home") + "/.cache/database-migration-operator/kube-api-test");
    }
    return dir;
  }

  private static String version() {
    return System.getProperty("kube.version", "1.34.4");
  }
}
