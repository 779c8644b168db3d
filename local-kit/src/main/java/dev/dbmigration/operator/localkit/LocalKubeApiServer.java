package dev.dbmigration.operator.localkit;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real kube-apiserver and etcd on this machine (fabric8 kube-api-test, offline), from the
 * binaries hack/kube-binaries/build.sh lays out as {@code DIR/k8s/<version>-linux-<arch>/}.
 * Never downloads: without the binaries it says which are missing.
 */
public final class LocalKubeApiServer implements AutoCloseable {

  private final KubeAPIServer server;
  private final String kubeConfigYaml;
  private final Path binaries;

  private LocalKubeApiServer(KubeAPIServer server, String kubeConfigYaml, Path binaries) {
    this.server = server;
    this.kubeConfigYaml = kubeConfigYaml;
    this.binaries = binaries;
  }

  /**
   * Starts one from the newest binaries under {@code testDir} (or those of {@code version} when
   * given), with these extra kube-apiserver flags (name, value).
   */
  public static LocalKubeApiServer start(Path testDir, String version, Map<String, String> flags) {
    Path binaries = version != null ? testDir.resolve("k8s").resolve(version + "-linux-"
        + arch()) : newestBinaries(testDir).orElse(null);
    for (String b : new String[] {"kube-apiserver", "etcd"}) {
      if (binaries == null || !Files.isExecutable(binaries.resolve(b))) {
        throw new IllegalStateException("no " + b + " under " + testDir
            + "/k8s/: build them with hack/kube-binaries/build.sh");
      }
    }
    KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(testDir.toString())
        .withApiServerVersion(binaries.getFileName().toString().replaceFirst("-linux-.*$", ""))
        .withOfflineMode(true);
    flags.forEach(config::withApiServerFlag);
    KubeAPIServer server = new KubeAPIServer(config.build());
    server.start();
    return new LocalKubeApiServer(server, server.getKubeConfigYaml(), binaries);
  }

  public String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** A new admin client of this API server; the caller closes it. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml))
        .build();
  }

  /** The directory of kube-apiserver, etcd and kubectl. */
  public Path binaries() {
    return binaries;
  }

  /** The kubectl that came with the API server binaries, if any. */
  public Optional<Path> kubectl() {
    return Optional.of(binaries.resolve("kubectl")).filter(Files::isExecutable);
  }

  /** Applies a CRD (server-side, over any earlier version) and waits until it is served. */
  public static void applyCrd(KubernetesClient client, InputStream yaml) {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .load(yaml).item();
    crd.getMetadata().setResourceVersion(null);
    client.resource(crd).forceConflicts().serverSideApply();
    client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(c -> c != null && c.getStatus() != null
            && c.getStatus().getConditions() != null
            && c.getStatus().getConditions().stream().anyMatch(cond ->
                "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
            30, TimeUnit.SECONDS);
  }

  public static void createNamespace(KubernetesClient client, String name) {
    if (client.namespaces().withName(name).get() == null) {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
          .build()).create();
    }
  }

  /**
   * A pod that is Running and Ready at {@code ip}: what a database leader looks like to an
   * API server with no kubelet, whose status nothing else would write.
   */
  public static Pod createReadyPod(KubernetesClient client, String namespace, String name,
      Map<String, String> labels, String ip) {
    Pod pod = client.resource(new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("postgres").withImage("postgres:15")
        .endContainer().endSpec().build()).create();
    pod.setStatus(new PodStatusBuilder()
        .withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP()
        .withHostIP("192.0.2.1")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .build());
    return client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  private static Optional<Path> newestBinaries(Path testDir) {
    Path k8s = testDir.resolve("k8s");
    if (!Files.isDirectory(k8s)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(k8s)) {
      return dirs.filter(d -> Files.isExecutable(d.resolve("kube-apiserver")))
          .max(Path::compareTo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return "x86_64".equals(arch) ? "amd64" : arch;
  }

  @Override
  public void close() {
    server.stop();
  }
}
