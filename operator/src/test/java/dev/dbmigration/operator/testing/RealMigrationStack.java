package dev.dbmigration.operator.testing;

import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.lock.LockHolder;
import dev.dbmigration.operator.localrun.ImageMapping;
import dev.dbmigration.operator.localrun.LocalJobRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The whole chain of the tests that run real migrations: the real API server with the CRD, the
 * operator in-process, the local Job runner running the real {@code alembic} for every Job, and
 * the real PostgreSQL its leader pods point at.
 */
public final class RealMigrationStack implements AutoCloseable {

  private static final Path ALEMBIC = Path.of("/usr/bin/alembic");

  private final KubernetesClient client;
  private final TestCluster cluster;
  private final TestPostgres postgres;
  private final LocalJobRunner runner;
  private final OperatorHarness operator;

  private RealMigrationStack(KubernetesClient client, TestPostgres postgres,
      LocalJobRunner runner, OperatorHarness operator) {
    this.client = client;
    this.cluster = new TestCluster(client);
    this.postgres = postgres;
    this.runner = runner;
    this.operator = operator;
  }

  /**
   * Starts it all with the operator's defaults.
   *
   * @param images each image a Job may name, and the Alembic project directory standing for it
   */
  public static RealMigrationStack start(Map<String, Path> images) {
    if (!Files.isExecutable(ALEMBIC)) {
      Prerequisites.missing(ALEMBIC + " (apt-get install alembic python3-psycopg2)");
    }
    TestPostgres postgres = TestPostgres.get();
    KubernetesClient client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    Map<String, Path> absolute = new LinkedHashMap<>();
    images.forEach((image, dir) -> absolute.put(image, dir.toAbsolutePath()));
    LocalJobRunner runner = new LocalJobRunner(client, ImageMapping.of(absolute)
        .withEntrypoint(OperatorSettings.DEFAULT_OPERATOR_IMAGE, LockHolder.entrypointOfThisJvm()),
        Map.of("PYTHONDONTWRITEBYTECODE", "1"), Set.of()).start();
    OperatorHarness operator = new OperatorHarness(client).start();
    return new RealMigrationStack(client, postgres, runner, operator);
  }

  public KubernetesClient client() {
    return client;
  }

  public TestCluster cluster() {
    return cluster;
  }

  public TestPostgres postgres() {
    return postgres;
  }

  @Override
  public void close() {
    operator.stop();
    runner.close();
    client.close();
  }
}
