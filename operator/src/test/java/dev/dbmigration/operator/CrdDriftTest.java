package dev.dbmigration.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CRD in crds/ is exactly what the build generates from the Java classes. */
class CrdDriftTest {

  private static final String FILE = "databasemigrations.dbmigration.dev-v1.yml";

  @Test
  void committedCrdMatchesTheGeneratedOne() throws Exception {
    Path generated = Path.of("operator/target/classes/META-INF/fabric8", FILE);
    Path committed = Path.of("crds", FILE);

    assertThat(generated).exists();
    assertThat(Files.readString(committed))
        .as("crds/%s is stale: run hack/update-crds.sh and commit the result", FILE)
        .isEqualTo(Files.readString(generated));
  }
}
