package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** deploy/'s files as written: the kustomizations fit together and the Deployment is the chart's. */
class InstallFilesTest {

  static Deployment deployDeployment() {
    return Manifests.single(Manifests.load(Manifests.DEPLOY.resolve("base/deployment.yaml")),
        Deployment.class);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> kustomization(Path dir) throws IOException {
    return Serialization.unmarshal(Files.readString(dir.resolve("kustomization.yaml")), Map.class);
  }

  @SuppressWarnings("unchecked")
  static List<String> list(Map<String, Object> map, String key) {
    return (List<String>) map.get(key);
  }

  @Test
  void crdsKustomizationListsEveryGeneratedCrd() throws IOException {
    assertThat(list(kustomization(Manifests.CRDS), "resources"))
        .as("crds/kustomization.yaml must list the CRD files of crds/")
        .containsExactlyInAnyOrderElementsOf(ChartCrdDriftTest.yamlFiles(Manifests.CRDS));
  }

  @Test
  void deployRunsTheOperatorImageWithProbesAndTheRestrictedProfile() {
    Deployment deployment = deployDeployment();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);

    assertThat(deployment.getMetadata().getNamespace()).isEqualTo("database-migration-operator");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(operator.getImage()).isEqualTo(HelmChartTest.IMAGE);
    assertThat(operator.getArgs()).isNullOrEmpty();
    assertThat(pod.getServiceAccountName()).isEqualTo("database-migration-operator");
    assertThat(HelmChartTest.env(operator)).containsExactly(
        Map.entry("WATCH_NAMESPACES", "<from " + operator.getEnv().get(0).getValueFrom() + ">"),
        Map.entry("DATABASE_CHECK", "<from " + operator.getEnv().get(1).getValueFrom() + ">"),
        Map.entry("HEALTH_PORT", "8081"), Map.entry("METRICS_PORT", "8080"),
        Map.entry("LOG_FORMAT", "<from " + operator.getEnv().get(4).getValueFrom() + ">"),
        // The lock sidecar's image is the operator's own.
        Map.entry("OPERATOR_IMAGE", operator.getImage()),
        Map.entry("LEADER_ELECTION", "true"),
        Map.entry("LEADER_ELECTION_LEASE", "database-migration-operator"),
        Map.entry("POD_NAME", "<from metadata.name>"),
        Map.entry("POD_NAMESPACE", "<from metadata.namespace>"),
        Map.entry("POD_UID", "<from metadata.uid>"));
    assertThat(operator.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("health:8081", "metrics:8080");
    HelmChartTest.assertOperatorPodEssentials(pod);
  }

  @Test
  void watchNamespacesAndLogFormatComeFromTheGeneratedSettings() throws IOException {
    List<EnvVar> env = deployDeployment().getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv();
    var watch = env.get(0).getValueFrom().getConfigMapKeyRef();
    assertThat(watch.getKey()).isEqualTo("WATCH_NAMESPACES");
    var logFormat = env.get(4).getValueFrom().getConfigMapKeyRef();
    assertThat(logFormat.getKey()).isEqualTo("LOG_FORMAT");
    assertThat(logFormat.getName()).isEqualTo(watch.getName());

    assertThat(settings(Manifests.DEPLOY.resolve("base"), watch.getName()))
        .containsExactly("WATCH_NAMESPACES=", "DATABASE_CHECK=required", "LOG_FORMAT=text");
  }

  /** deploy/namespaced/: one directory per namespace, and the same names in WATCH_NAMESPACES. */
  @Test
  void theNamespacedOverlayWatchesExactlyTheNamespacesItGrantsRolesIn() throws IOException {
    Path overlay = Manifests.DEPLOY.resolve("namespaced");
    List<String> resources = list(kustomization(overlay), "resources");
    assertThat(resources).contains("../base", "crd-check.yaml");
    List<String> granted = resources.stream()
        .filter(r -> !r.equals("../base") && !r.equals("crd-check.yaml")).map(dir -> {
      try {
        Map<String, Object> perNamespace = kustomization(overlay.resolve(dir));
        assertThat(list(perNamespace, "resources")).containsExactly("../watched-namespace");
        return (String) perNamespace.get("namespace");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();

    String literal = settings(overlay, "database-migration-operator").get(0);
    assertThat(literal).startsWith("WATCH_NAMESPACES=");
    assertThat(Arrays.asList(literal.substring("WATCH_NAMESPACES=".length()).split(",")))
        .isNotEmpty().containsExactlyInAnyOrderElementsOf(granted);
  }

  @Test
  void deployAndTheChartsDefaultsRunTheSamePod() {
    PodSpec deploy = deployDeployment().getSpec().getTemplate().getSpec();
    PodSpec chart = Manifests.single(Chart.template(Map.of()), Deployment.class).getSpec()
        .getTemplate().getSpec();
    Container d = deploy.getContainers().get(0);
    Container c = chart.getContainers().get(0);

    assertThat(c.getImage()).isEqualTo(d.getImage());
    assertThat(c.getImagePullPolicy()).isEqualTo(d.getImagePullPolicy());
    assertThat(c.getPorts()).isEqualTo(d.getPorts());
    assertThat(c.getLivenessProbe()).isEqualTo(d.getLivenessProbe());
    assertThat(c.getReadinessProbe()).isEqualTo(d.getReadinessProbe());
    assertThat(c.getResources()).isEqualTo(d.getResources());
    assertThat(c.getSecurityContext()).isEqualTo(d.getSecurityContext());
    assertThat(c.getVolumeMounts()).isEqualTo(d.getVolumeMounts());
    assertThat(c.getEnv()).extracting(EnvVar::getName)
        .isEqualTo(d.getEnv().stream().map(EnvVar::getName).toList());
    assertThat(HelmChartTest.env(c)).as("the chart's literal settings equal deploy/'s")
        .containsAllEntriesOf(HelmChartTest.env(d).entrySet().stream()
            .filter(e -> !e.getValue().contains("configMapKeyRef"))
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    assertThat(chart.getSecurityContext()).isEqualTo(deploy.getSecurityContext());
    assertThat(chart.getVolumes()).isEqualTo(deploy.getVolumes());
  }

  /** The literals of the configMapGenerator entry with this name in dir's kustomization. */
  @SuppressWarnings("unchecked")
  static List<String> settings(Path dir, String name) throws IOException {
    List<Map<String, Object>> generators =
        (List<Map<String, Object>>) kustomization(dir).get("configMapGenerator");
    return generators.stream().filter(g -> name.equals(g.get("name")))
        .map(g -> (List<String>) g.get("literals")).findFirst()
        .orElseThrow(() -> new AssertionError("no configMapGenerator " + name + " in " + dir));
  }
}
