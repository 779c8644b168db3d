package dev.dbmigration.operator.install;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.dbmigration.operator.testing.Directories;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The chart under helm/, rendered and linted by the Helm library that helm-java embeds. */
final class Chart {

  static final String RELEASE = "database-migration-operator";
  static final String NAMESPACE = "database-migration-operator";
  /**
   * The embedded Helm is built without the Kubernetes version stamp of a release binary, so it
   * would assume 1.20, which the chart's kubeVersion (CEL rules in the CRD) excludes.
   */
  static final String KUBE_VERSION = System.getProperty("kube.version", "1.34.4");

  private Chart() {
  }

  /** {@code helm template} with these values (as a values file: lists and maps keep their type). */
  static List<HasMetadata> template(Map<String, Object> values) {
    return template(RELEASE, NAMESPACE, values);
  }

  static List<HasMetadata> template(String release, String namespace, Map<String, Object> values) {
    return Manifests.parse(render(release, namespace, values));
  }

  static String render(Map<String, Object> values) {
    return render(RELEASE, NAMESPACE, values);
  }

  static String render(String release, String namespace, Map<String, Object> values) {
    Path file = valuesFile(values);
    try {
      TemplateCommand command = new Helm(Manifests.CHART).template()
          .withName(release).withNamespace(namespace).withKubeVersion(KUBE_VERSION);
      if (!values.isEmpty()) {
        command = command.withValuesFile(file);
      }
      return command.call();
    } finally {
      delete(file);
    }
  }

  /** {@code helm show crds}: the CRDs the chart installs from its crds/ directory. */
  static String showCrds() {
    return new Helm(Manifests.CHART).show().crds().call();
  }

  /**
   * {@code helm lint --strict} of the chart with these values. helm-java's lint takes no values,
   * so a copy of the chart whose values.yaml is the defaults overlaid with these is linted.
   */
  static LintResult lint(Map<String, Object> values) throws IOException {
    if (values.isEmpty()) {
      return new Helm(Manifests.CHART).lint().strict().call();
    }
    Path copy = Files.createTempDirectory("chart-lint").resolve(Manifests.CHART.getFileName());
    try {
      Directories.copy(Manifests.CHART, copy);
      Map<String, Object> defaults = values(Files.readString(copy.resolve("values.yaml")));
      Files.writeString(copy.resolve("values.yaml"), Serialization.asYaml(overlay(defaults, values)));
      return new Helm(copy).lint().strict().call();
    } finally {
      Directories.delete(copy.getParent());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> values(String yaml) {
    return Serialization.unmarshal(yaml, Map.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> overlay(Map<String, Object> base, Map<String, Object> top) {
    Map<String, Object> merged = new java.util.LinkedHashMap<>(base);
    top.forEach((key, value) -> {
      if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> under) {
        merged.put(key, overlay((Map<String, Object>) under, (Map<String, Object>) map));
      } else {
        merged.put(key, value);
      }
    });
    return merged;
  }

  private static Path valuesFile(Map<String, Object> values) {
    try {
      Path file = Files.createTempFile("values", ".yaml");
      Files.writeString(file, Serialization.asYaml(values));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
