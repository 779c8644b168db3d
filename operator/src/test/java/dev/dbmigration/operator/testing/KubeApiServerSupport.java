package dev.dbmigration.operator.testing;

import dev.dbmigration.operator.localkit.LocalKubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real kube-apiserver (with etcd) per test JVM, the local kit's, from the binaries that
 * {@code hack/kube-binaries/build.sh} built. Never downloads: offline mode is on.
 */
public final class KubeApiServerSupport {

  public static final String CRD_NAME = "databasemigrations.dbmigration.dev";

  private static LocalKubeApiServer server;

  private KubeApiServerSupport() {
  }

  /** Kubeconfig of the shared API server, started on first use; skips or fails without binaries. */
  public static synchronized String kubeConfigYaml() {
    if (server == null) {
      start();
    }
    return server.kubeConfigYaml();
  }

  /** A new admin client of the shared API server; the caller closes it. */
  public static KubernetesClient newClient() {
    kubeConfigYaml();
    return server.newClient();
  }

  public static Path binaryDir() {
    return Path.of(testDir(), "k8s", version() + "-linux-amd64");
  }

  /** Applies the CRD the build generated from the Java classes and waits until it is served. */
  public static void applyCrd(KubernetesClient client) {
    applyCrd(client, new File(System.getProperty("crd.dir", "operator/target/classes/META-INF/fabric8"),
        CRD_NAME + "-v1.yml"));
  }

  /** Applies a version of the CRD (an older one, say) and waits until it is served. */
  public static void applyCrd(KubernetesClient client, File crd) {
    try (InputStream in = new FileInputStream(crd)) {
      LocalKubeApiServer.applyCrd(client, in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the generated CRD " + crd, e);
    }
  }

  private static void start() {
    Path binaries = binaryDir();
    for (String b : new String[] {"kube-apiserver", "etcd", "kubectl"}) {
      if (!Files.isExecutable(binaries.resolve(b))) {
        Prerequisites.missing(b + " in " + binaries + " (build it with hack/kube-binaries/build.sh)");
      }
    }
    // On in OpenShift, off in a bare API server: setting blockOwnerDeletion on an owner
    // reference (the operator's Jobs do) then needs update on the owner's finalizers.
    // DeployRbacIT proves the install RBAC grants it.
    LocalKubeApiServer started = LocalKubeApiServer.start(Path.of(testDir()), version(),
        Map.of("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement"));
    server = started;
    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kube-apiserver-stop"));
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
