package dev.dbmigration.operator.local;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real kube-apiserver and etcd on this machine, from the binaries hack/kube-binaries builds
 * (kube-api-test may download them instead only when none are there), with the CRD installed.
 */
final class LocalCluster implements AutoCloseable {

  static final String CRD_RESOURCE = "META-INF/fabric8/databasemigrations.dbmigration.dev-v1.yml";

  private final KubeAPIServer server;
  private final KubernetesClient client;
  private final String kubeConfigYaml;
  private final Path binaries;

  private LocalCluster(KubeAPIServer server, String kubeConfigYaml, Path binaries) {
    this.server = server;
    this.kubeConfigYaml = kubeConfigYaml;
    this.binaries = binaries;
    this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml))
        .build();
  }

  static LocalCluster start(Path testDir) throws IOException {
    Optional<Path> binaries = newestBinaries(testDir);
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(testDir.toString())
        .withOfflineMode(binaries.isPresent())
        .build());
    server.start();
    LocalCluster cluster = new LocalCluster(server, server.getKubeConfigYaml(),
        binaries.orElseGet(() -> newestBinaries(testDir).orElse(null)));
    cluster.installCrd();
    return cluster;
  }

  KubernetesClient client() {
    return client;
  }

  String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** The kubectl that came with the API server binaries, if any. */
  Optional<Path> kubectl() {
    return Optional.ofNullable(binaries).map(b -> b.resolve("kubectl")).filter(Files::isExecutable);
  }

  void createNamespace(String name) {
    if (client.namespaces().withName(name).get() == null) {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  /** A database pod that is Running and Ready at {@code ip}: what a Patroni leader looks like. */
  void createReadyPod(String namespace, String name, Map<String, String> labels, String ip) {
    Pod pod = client.resource(new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("postgres").withImage("postgres").endContainer()
        .endSpec().build()).create();
    pod.setStatus(new PodStatusBuilder()
        .withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  private void installCrd() throws IOException {
    try (InputStream in = LocalCluster.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IOException("the CRD " + CRD_RESOURCE + " is not on the classpath");
      }
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
          .load(in).item();
      client.resource(crd).serverSideApply();
    }
    client.apiextensions().v1().customResourceDefinitions().withName(crdName())
        .waitUntilCondition(c -> c != null && c.getStatus() != null
            && c.getStatus().getConditions().stream().anyMatch(cond ->
                "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
            30, TimeUnit.SECONDS);
  }

  private static String crdName() {
    return "databasemigrations.dbmigration.dev";
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
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    client.close();
    server.stop();
  }
}
