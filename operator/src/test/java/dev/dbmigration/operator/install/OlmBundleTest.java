package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbmigration.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * bundle/ is exactly what {@link OlmBundle} makes from deploy/, crds/, examples/ and the chart
 * (hack/update-bundle.sh), and what it makes is deploy/'s operator as OLM installs it.
 */
class OlmBundleTest {

  static JsonNode csv() {
    return OlmBundle.readYaml(OlmBundle.DIR.resolve(OlmBundle.CSV_FILE));
  }

  @Test
  void bundleDirIsWhatTheSourcesMake() throws IOException {
    Map<String, String> generated = OlmBundle.generate();
    List<String> committed;
    try (Stream<Path> files = Files.walk(OlmBundle.DIR)) {
      committed = files.filter(Files::isRegularFile)
          .map(f -> OlmBundle.DIR.relativize(f).toString()).sorted().toList();
    }

    assertThat(committed).as("bundle/ is stale: run hack/update-bundle.sh and commit the result")
        .containsExactlyElementsOf(generated.keySet());
    for (Map.Entry<String, String> file : generated.entrySet()) {
      assertThat(Files.readString(OlmBundle.DIR.resolve(file.getKey())))
          .as("bundle/%s is stale: run hack/update-bundle.sh and commit the result",
              file.getKey())
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void theCsvInstallsDeploysDeploymentWithTheOperatorGroupsNamespaces() throws IOException {
    JsonNode entry = csv().at("/spec/install/spec/deployments/0");
    DeploymentSpec olm = Serialization.jsonMapper().treeToValue(entry.get("spec"),
        DeploymentSpec.class);
    Deployment deploy = InstallFilesTest.deployDeployment();
    Container olmContainer = olm.getTemplate().getSpec().getContainers().get(0);
    Container deployContainer = deploy.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(csv().at("/spec/install/strategy").asText()).isEqualTo("deployment");
    assertThat(entry.get("name").asText()).isEqualTo(deploy.getMetadata().getName());
    // All but the environment is deploy/'s, field for field.
    List<EnvVar> olmEnv = olmContainer.getEnv();
    olmContainer.setEnv(deployContainer.getEnv());
    assertThat(olm).isEqualTo(deploy.getSpec());

    assertThat(olmEnv).extracting(EnvVar::getName)
        .containsExactlyElementsOf(deployContainer.getEnv().stream().map(EnvVar::getName)
            .toList());
    Map<String, String> settings = OlmBundle.settings();
    for (int i = 0; i < olmEnv.size(); i++) {
      EnvVar o = olmEnv.get(i);
      EnvVar d = deployContainer.getEnv().get(i);
      if (o.getName().equals("WATCH_NAMESPACES")) {
        assertThat(o.getValueFrom().getFieldRef().getFieldPath())
            .isEqualTo("metadata.annotations['olm.targetNamespaces']");
      } else if (d.getValueFrom() != null && d.getValueFrom().getConfigMapKeyRef() != null) {
        assertThat(o.getValue()).as(o.getName())
            .isEqualTo(settings.get(d.getValueFrom().getConfigMapKeyRef().getKey()));
      } else {
        assertThat(o).isEqualTo(d);
      }
    }
  }

  /** What OLM writes into olm.targetNamespaces is what WATCH_NAMESPACES takes, per mode. */
  @Test
  void eachInstallModeIsSupportedAndItsTargetNamespacesAreWhatTheOperatorWatches() {
    assertThat(csv().at("/spec/installModes")).extracting(m -> m.get("type").asText()
        + "=" + m.get("supported").asBoolean()).containsExactlyInAnyOrder(
        "OwnNamespace=true", "SingleNamespace=true", "MultiNamespace=true",
        "AllNamespaces=true");

    assertThat(watched("")).as("AllNamespaces: an empty list").isEmpty();
    assertThat(watched("database-migration-operator")).as("OwnNamespace")
        .containsExactly("database-migration-operator");
    assertThat(watched("wps-pr-1234,wps-pr-1235")).as("MultiNamespace")
        .containsExactlyInAnyOrder("wps-pr-1234", "wps-pr-1235");
  }

  private static Set<String> watched(String targetNamespaces) {
    OperatorSettings settings = OperatorSettings.parse(new String[0],
        Map.of("WATCH_NAMESPACES", targetNamespaces));
    return settings.watchesAllNamespaces() ? Set.of() : settings.namespaces();
  }

  /**
   * OLM grants {@code permissions} in the OperatorGroup's namespaces (a ClusterRole for
   * AllNamespaces): deploy/rbac.yaml's rules and the Lease's, and nothing cluster-wide.
   */
  @Test
  void permissionsAreDeploysGrantsAndNothingIsClusterWide() throws IOException {
    JsonNode install = csv().at("/spec/install/spec");
    assertThat(install.has("clusterPermissions")).isFalse();
    assertThat(install.get("permissions")).hasSize(1);
    JsonNode permission = install.get("permissions").get(0);
    assertThat(permission.get("serviceAccountName").asText())
        .isEqualTo(InstallFilesTest.deployDeployment().getSpec().getTemplate().getSpec()
            .getServiceAccountName());
    List<PolicyRule> rules = Arrays.asList(Serialization.jsonMapper()
        .treeToValue(permission.get("rules"), PolicyRule[].class));

    Set<String> expected = new TreeSet<>(Manifests.grants(Manifests.single(
        Manifests.load(Manifests.DEPLOY.resolve("rbac.yaml")), ClusterRole.class).getRules()));
    expected.addAll(Manifests.grants(Manifests.single(
        Manifests.load(Manifests.DEPLOY.resolve("base/leader-election.yaml")), Role.class)
        .getRules()));
    assertThat(Manifests.grants(rules)).isEqualTo(expected);
  }

  /** OpenShift's restricted-v2 SCC: no fixed UID or group, seccomp RuntimeDefault, no root. */
  @Test
  void theOperatorsPodSuitsTheRestrictedScc() throws IOException {
    PodSpec pod = Serialization.jsonMapper().treeToValue(
        csv().at("/spec/install/spec/deployments/0/spec/template/spec"), PodSpec.class);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
    assertThat(pod.getSecurityContext().getRunAsGroup()).isNull();
    assertThat(pod.getSecurityContext().getFsGroup()).isNull();
    assertThat(pod.getContainers()).allSatisfy(c -> {
      assertThat(c.getSecurityContext().getRunAsUser()).isNull();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    });
    assertThat(pod.getHostNetwork()).isNull();
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
  }

  @Test
  void theCrdIsCrdsOwnWithADescriptorForEverySpecAndStatusField() throws IOException {
    assertThat(Files.readString(OlmBundle.DIR.resolve(OlmBundle.CRD_FILE)))
        .isEqualTo(Files.readString(OlmBundle.CRD));
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(OlmBundle.CRD),
        CustomResourceDefinition.class);
    JSONSchemaProps schema = crd.getSpec().getVersions().get(0).getSchema()
        .getOpenAPIV3Schema();
    JsonNode owned = csv().at("/spec/customresourcedefinitions/owned");

    assertThat(owned).hasSize(1);
    assertThat(owned.get(0).get("name").asText()).isEqualTo(crd.getMetadata().getName());
    assertThat(owned.get(0).get("kind").asText()).isEqualTo("DatabaseMigration");
    assertThat(owned.get(0).get("version").asText()).isEqualTo("v1alpha1");
    assertThat(paths(owned.get(0).get("specDescriptors")))
        .containsExactlyInAnyOrderElementsOf(leaves(schema.getProperties().get("spec"), "spec"));
    assertThat(paths(owned.get(0).get("statusDescriptors")))
        .containsAll(leaves(schema.getProperties().get("status"), "status"));
    assertThat(owned.get(0).get("statusDescriptors")).anySatisfy(d -> {
      assertThat(d.get("path").asText()).isEqualTo("phase");
      assertThat(d.get("x-descriptors").get(0).asText())
          .isEqualTo("urn:alm:descriptor:io.kubernetes.phase");
    });
    assertThat(owned.get(0).get("specDescriptors")).anySatisfy(d -> {
      assertThat(d.get("path").asText()).isEqualTo("database.credentialsSecret.name");
      assertThat(d.get("x-descriptors").get(0).asText())
          .isEqualTo("urn:alm:descriptor:io.kubernetes:Secret");
    });
    assertThat(owned.get(0).get("specDescriptors")).allSatisfy(d ->
        assertThat(d.get("displayName").asText()).isNotBlank());
  }

  @Test
  void almExamplesIsTheExampleAndNameVersionAndKubernetesAreTheCharts() throws IOException {
    JsonNode examples = Serialization.jsonMapper()
        .readTree(csv().at("/metadata/annotations/alm-examples").asText());
    JsonNode example = OlmBundle.readYaml(OlmBundle.EXAMPLE);
    ((com.fasterxml.jackson.databind.node.ObjectNode) example.get("metadata"))
        .remove("namespace");
    assertThat(examples).hasSize(1);
    assertThat(examples.get(0)).isEqualTo(Serialization.jsonMapper().valueToTree(example));

    Map<String, Object> chart = OlmBundle.chart();
    assertThat(csv().at("/metadata/name").asText())
        .isEqualTo(chart.get("name") + ".v" + chart.get("appVersion"));
    assertThat(csv().at("/spec/version").asText()).isEqualTo(chart.get("appVersion"));
    assertThat(chart.get("kubeVersion")).isEqualTo(">=1.25.0-0");
    assertThat(csv().at("/spec/minKubeVersion").asText()).isEqualTo("1.25.0");
    assertThat(csv().at("/metadata/annotations/containerImage").asText())
        .isEqualTo(HelmChartTest.IMAGE);
  }

  @Test
  void theMetadataAnnotationsNameThePackageAndItsChannel() {
    JsonNode annotations = OlmBundle.readYaml(OlmBundle.DIR.resolve(OlmBundle.ANNOTATIONS_FILE))
        .get("annotations");

    assertThat(annotations.get("operators.operatorframework.io.bundle.mediatype.v1").asText())
        .isEqualTo("registry+v1");
    assertThat(annotations.get("operators.operatorframework.io.bundle.manifests.v1").asText())
        .isEqualTo("manifests/");
    assertThat(annotations.get("operators.operatorframework.io.bundle.metadata.v1").asText())
        .isEqualTo("metadata/");
    assertThat(annotations.get("operators.operatorframework.io.bundle.package.v1").asText())
        .isEqualTo(OlmBundle.chart().get("name"));
    assertThat(annotations.get("operators.operatorframework.io.bundle.channels.v1").asText()
        .split(",")).contains(
            annotations.get("operators.operatorframework.io.bundle.channel.default.v1").asText());
  }

  /** README's bundle.Dockerfile (no Docker here to build it) labels the image as OLM reads it. */
  @Test
  void theReadmesBundleImageLabelsAreTheMetadataAnnotations() throws IOException {
    Map<String, String> labels = new java.util.TreeMap<>();
    for (String line : Files.readString(Path.of("README.md")).lines().toList()) {
      if (line.startsWith("LABEL ")) {
        String[] kv = line.substring("LABEL ".length()).split("=", 2);
        labels.put(kv[0], kv[1]);
      }
    }
    Map<String, String> annotations = new java.util.TreeMap<>();
    OlmBundle.readYaml(OlmBundle.DIR.resolve(OlmBundle.ANNOTATIONS_FILE)).get("annotations")
        .fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));

    assertThat(labels).isEqualTo(annotations);
  }

  private static List<String> paths(JsonNode descriptors) {
    List<String> paths = new ArrayList<>();
    descriptors.forEach(d -> paths.add(d.get("path").asText()));
    return paths;
  }

  private static List<String> leaves(JSONSchemaProps schema, String prefix) {
    List<String> out = new ArrayList<>();
    collect(schema, "", prefix, out);
    return out;
  }

  private static void collect(JSONSchemaProps schema, String path, String prefix,
      List<String> out) {
    if (!path.isEmpty() && (OlmBundle.OPAQUE.contains(prefix + "." + path)
        || schema.getProperties() == null || schema.getProperties().isEmpty())) {
      out.add(path);
      return;
    }
    schema.getProperties().forEach((name, child) ->
        collect(child, path.isEmpty() ? name : path + "." + name, prefix, out));
  }
}
