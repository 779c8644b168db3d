package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The operator's runnable jar, as hack/run.sh starts it, carries the operator and nothing of
 * local mode: neither kube-api-test, nor zonky's embedded PostgreSQL, nor the local kit and its
 * Job runner (they are the local module's, see local/).
 */
class OperatorJarIT {

  static final Path JAR = Path.of("operator", "target", "database-migration-operator.jar");

  @Test
  void theJarHoldsTheOperatorAndNothingOfLocalMode() throws IOException {
    assertThat(Files.isReadable(JAR)).as(JAR + " (built in package)").isTrue();
    List<String> entries;
    try (JarFile jar = new JarFile(JAR.toFile())) {
      entries = jar.stream().map(ZipEntry::getName).toList();
    }
    System.out.printf("%s: %d entries, %.1f MB%n", JAR, entries.size(),
        Files.size(JAR) / 1e6);
    assertThat(entries).contains("dev/dbmigration/operator/Main.class",
        "dev/dbmigration/operator/controller/DatabaseMigrationReconciler.class",
        "META-INF/fabric8/databasemigrations.dbmigration.dev-v1.yml");
    assertThat(entries)
        .noneMatch(e -> e.startsWith("io/fabric8/kubeapitest/"))
        .noneMatch(e -> e.startsWith("io/zonky/"))
        .noneMatch(e -> e.startsWith("postgres-linux"))
        .noneMatch(e -> e.startsWith("dev/dbmigration/operator/localrun/"))
        .noneMatch(e -> e.startsWith("dev/dbmigration/operator/localkit/"))
        .noneMatch(e -> e.startsWith("dev/dbmigration/operator/local/"));
  }
}
