package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's configuration reference documents every field of the CRD's spec. */
class ReadmeReferenceTest {

  /** Kubernetes' own types: documented by Kubernetes, not field by field here. */
  private static final Set<String> OPAQUE = Set.of("spec.job.resources",
      "spec.job.imagePullSecrets", "spec.database.leader.selector", "spec.job.affinity");

  @Test
  void everySpecFieldOfTheCrdIsInTheConfigurationReference() throws Exception {
    CustomResourceDefinition crd = Serialization.unmarshal(
        Files.readString(Path.of("crds/databasemigrations.dbmigration.dev-v1.yml")),
        CustomResourceDefinition.class);
    JSONSchemaProps spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
        .getProperties().get("spec");
    List<String> fields = new ArrayList<>();
    collect("spec", spec, fields);
    String readme = Files.readString(Path.of("README.md"));
    String reference = readme.substring(readme.indexOf("### Configuration reference"),
        readme.indexOf("### Troubleshooting"));

    assertThat(fields).hasSizeGreaterThan(20);
    assertThat(fields).allSatisfy(field ->
        assertThat(reference).as("README documents %s", field).contains("`" + field + "`"));
  }

  private static void collect(String path, JSONSchemaProps schema, List<String> out) {
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    if (properties == null || properties.isEmpty() || OPAQUE.contains(path)) {
      out.add(path);
      return;
    }
    properties.forEach((name, child) -> collect(path + "." + name, child, out));
  }
}
