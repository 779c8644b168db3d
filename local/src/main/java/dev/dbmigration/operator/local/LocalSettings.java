package dev.dbmigration.operator.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code local [FILE] [--jdbc-url=URL] [--project-dir=DIR] [--timeout=SECONDS]}: the resource to
 * run (default: the sample PR environment), the PostgreSQL to use (default: an embedded one),
 * the directory that stands for the image (default: examples/alembic).
 */
record LocalSettings(Path resourceFile, String jdbcUrl, Path projectDir, Duration timeout,
    Path kubeApiTestDir) {

  static LocalSettings parse(String[] args, Map<String, String> env) {
    Path file = null;
    String jdbcUrl = null;
    Path projectDir = Path.of("examples", "alembic");
    Duration timeout = Duration.ofMinutes(5);
    for (String arg : args) {
      if (arg.startsWith("--jdbc-url=")) {
        jdbcUrl = arg.substring("--jdbc-url=".length());
      } else if (arg.startsWith("--project-dir=")) {
        projectDir = Path.of(arg.substring("--project-dir=".length()));
      } else if (arg.startsWith("--timeout=")) {
        timeout = Duration.ofSeconds(Long.parseLong(arg.substring("--timeout=".length())));
      } else if (arg.startsWith("--")) {
        throw new IllegalArgumentException("unknown option " + arg + "; usage: local [FILE] "
            + "[--jdbc-url=URL] [--project-dir=DIR] [--timeout=SECONDS]");
      } else if (file == null) {
        file = Path.of(arg);
      } else {
        throw new IllegalArgumentException("only one resource file, got " + file + " and " + arg);
      }
    }
    Path kubeDir = Path.of(env.getOrDefault("KUBE_API_TEST_DIR", System.getProperty(
        "kube.api.test.dir", System.getProperty("user.home")
            + "/.cache/database-migration-operator/kube-api-test")));
    return new LocalSettings(file, jdbcUrl, projectDir.toAbsolutePath().normalize(), timeout,
        kubeDir);
  }
}
