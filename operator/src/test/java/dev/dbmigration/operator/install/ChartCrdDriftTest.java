package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Helm installs CRDs only from the chart's own crds/ directory, so the chart carries a copy of
 * the generated crds/: this keeps the copy identical (CrdDriftTest keeps crds/ equal to what the
 * build generates). hack/update-crds.sh refreshes both.
 */
class ChartCrdDriftTest {

  static final Path CHART_CRDS = Manifests.CHART.resolve("crds");

  @Test
  void theChartCarriesExactlyTheGeneratedCrds() throws IOException {
    assertThat(yamlFiles(CHART_CRDS))
        .as("%s must hold the .yml files of crds/: run hack/update-crds.sh", CHART_CRDS)
        .isEqualTo(yamlFiles(Manifests.CRDS))
        .isNotEmpty();
    for (String file : yamlFiles(Manifests.CRDS)) {
      assertThat(Files.readString(CHART_CRDS.resolve(file)))
          .as("%s/%s is stale: run hack/update-crds.sh", CHART_CRDS, file)
          .isEqualTo(Files.readString(Manifests.CRDS.resolve(file)));
    }
  }

  /** The CRD files; crds/kustomization.yaml (for deploy/) is not one of them. */
  static List<String> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".yml") || name.endsWith(".yaml"))
          .filter(name -> !name.equals("kustomization.yaml"))
          .sorted().toList();
    }
  }
}
