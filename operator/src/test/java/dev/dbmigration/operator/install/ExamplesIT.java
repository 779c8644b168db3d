package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import dev.dbmigration.operator.model.validation.SpecValidator;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example a user may copy is accepted by the real API server and by the operator. */
class ExamplesIT {

  static KubernetesClient client;

  @BeforeAll
  static void start() {
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).hasSizeGreaterThanOrEqualTo(8);
      return yaml.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void isAcceptedByTheApiServerAndValidForTheOperator(Path file) throws IOException {
    DatabaseMigration example;
    try (InputStream in = Files.newInputStream(file)) {
      example = client.resources(DatabaseMigration.class).load(in).item();
    }
    String namespace = example.getMetadata().getNamespace();
    assertThat(namespace).as("examples name their namespace").isNotBlank();
    if (client.namespaces().withName(namespace).get() == null) {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
          .build()).create();
    }
    example.getMetadata().setName(example.getMetadata().getName() + "-"
        + file.getFileName().toString().replace(".yaml", "").replace('_', '-'));

    DatabaseMigration stored = client.resource(example).create();

    assertThat(SpecValidator.validate(stored)).as("the operator's own validation").isEmpty();
    stored.getMetadata().setUid("00000000-0000-0000-0000-000000000000");
    Job job = MigrationJobBuilder.build(stored, "example-job", "127.0.0.1");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
        .isNotEmpty();
  }
}
