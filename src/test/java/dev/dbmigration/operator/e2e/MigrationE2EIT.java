package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.RealMigrationStack;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole chain for real: resource → operator → Job → the local Job runner → the real
 * `alembic` of the sample project → a real PostgreSQL → revision back in status. Every seed
 * command, the database's revision asserted with SQL.
 */
class MigrationE2EIT {

  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final String APP_IMAGE = "registry.example/wps-api:pr-1234";
  static final String BROKEN_IMAGE = "registry.example/broken:1";

  static RealMigrationStack stack;
  static KubernetesClient client;
  static TestCluster cluster;
  static TestPostgres postgres;

  @BeforeAll
  static void start() {
    stack = RealMigrationStack.start(Map.of(APP_IMAGE, Path.of("examples/alembic"),
        BROKEN_IMAGE, Path.of("src/test/resources/alembic-failing")));
    client = stack.client();
    cluster = stack.cluster();
    postgres = stack.postgres();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** A PR environment whose leader pod is the test PostgreSQL: Secret, pod, fresh database. */
  record Environment(String namespace, TestPostgres.Credentials db) {
  }

  static Environment environment(String prefix) throws Exception {
    TestPostgres.Credentials db = postgres.createDatabase(prefix);
    String ns = cluster.newNamespace(prefix.replace("_", "-"));
    cluster.createDatabaseEnvironment(ns, "app-creds", "patroni-app", db, postgres);
    return new Environment(ns, db);
  }

  static DatabaseMigration migration(Environment env, String image, Action action, String target) {
    DatabaseMigration dbm = Fixtures.migration(env.namespace(), "app");
    dbm.getSpec().setImage(image);
    dbm.getSpec().getDatabase().setPort(postgres.port());
    dbm.getSpec().setAction(action);
    dbm.getSpec().setTarget(target);
    dbm.getSpec().setAllowDowngrade(action == Action.DOWNGRADE);
    return dbm;
  }

  static void edit(Environment env, Consumer<DatabaseMigration> change) {
    client.resources(DatabaseMigration.class).inNamespace(env.namespace()).withName("app")
        .edit(d -> {
          change.accept(d);
          return d;
        });
  }

  static DatabaseMigrationStatus awaitFinished(Environment env, long generation) {
    return await("generation " + generation + " finished").atMost(TIMEOUT).until(
        () -> client.resources(DatabaseMigration.class).inNamespace(env.namespace())
            .withName("app").get().getStatus(),
        s -> s != null && s.getObservedGeneration() != null
            && s.getObservedGeneration() == generation && s.getPhase() != null
            && (s.getPhase() == Phase.Succeeded || s.getPhase() == Phase.Failed));
  }

  static boolean tableExists(Environment env, String table) throws Exception {
    try (Connection c = postgres.connect(env.db()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  static void assertRun(Environment env, long generation, String expectedRevision,
      List<String> expectedCommand) throws Exception {
    DatabaseMigrationStatus status = awaitFinished(env, generation);
    assertThat(status.getPhase()).as(status.getMessage()).isEqualTo(Phase.Succeeded);
    assertThat(postgres.alembicRevision(env.db().database())).isEqualTo(expectedRevision);
    assertThat(status.getRevision().getCurrent()).isEqualTo(expectedRevision);
    Job job = client.batch().v1().jobs().inNamespace(env.namespace())
        .withName(status.getJobName()).get();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
        .containsExactlyElementsOf(expectedCommand);
    System.out.printf("e2e: generation %d %s -> database at %s (status %s -> %s)%n", generation,
        String.join(" ", expectedCommand), expectedRevision, status.getRevision().getBefore(),
        status.getRevision().getCurrent());
  }

  @Test
  void everySeedCommandMovesTheRealDatabaseToExactlyTheExpectedRevision() throws Exception {
    Environment env = environment("e2e_seed");

    cluster.apply(migration(env, APP_IMAGE, Action.UPGRADE, "+3"));
    assertRun(env, 1, "3c4d5e6f7081", List.of("alembic", "upgrade", "+3"));
    assertThat(awaitFinished(env, 1).getRevision().getBefore()).isEqualTo("base");

    // Another pass over the same generation must not move the database again.
    edit(env, d -> d.getMetadata().setLabels(new HashMap<>(Map.of("touched", "yes"))));
    await("no second run of generation 1").during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.jobs(env.namespace()).size() == 1
            && "3c4d5e6f7081".equals(postgres.alembicRevision(env.db().database())));

    edit(env, d -> d.getSpec().setTarget("head"));
    assertRun(env, 2, "8192a3b4c5d6", List.of("alembic", "upgrade", "head"));
    assertThat(tableExists(env, "alert")).isTrue();

    edit(env, d -> {
      d.getSpec().setAction(Action.DOWNGRADE);
      d.getSpec().setAllowDowngrade(true);
      d.getSpec().setTarget("4d5e6f708192");
    });
    assertRun(env, 3, "4d5e6f708192", List.of("alembic", "downgrade", "4d5e6f708192"));
    assertThat(tableExists(env, "alert")).isFalse();

    edit(env, d -> d.getSpec().setTarget("-2"));
    assertRun(env, 4, "2b3c4d5e6f70", List.of("alembic", "downgrade", "-2"));

    edit(env, d -> {
      d.getSpec().setAction(Action.UPGRADE);
      d.getSpec().setTarget("5e6f708192a3");
    });
    assertRun(env, 5, "5e6f708192a3", List.of("alembic", "upgrade", "5e6f708192a3"));
    assertThat(tableExists(env, "forecast")).isTrue();

    edit(env, d -> {
      d.getSpec().setAction(Action.DOWNGRADE);
      d.getSpec().setTarget("base");
    });
    assertRun(env, 6, "base", List.of("alembic", "downgrade", "base"));
    assertThat(tableExists(env, "station")).isFalse();
    assertThat(cluster.jobs(env.namespace())).hasSize(6);
  }

  @Test
  void aHistoryRunShowsTheEnginesOwnHistoryAndChangesNothing() throws Exception {
    Environment env = environment("e2e_history");
    cluster.apply(migration(env, APP_IMAGE, Action.UPGRADE, "head"));
    assertRun(env, 1, "8192a3b4c5d6", List.of("alembic", "upgrade", "head"));

    edit(env, d -> d.getSpec().setAction(Action.HISTORY));
    assertRun(env, 2, "8192a3b4c5d6", List.of("alembic", "history", "--verbose"));

    String output = awaitFinished(env, 2).getOutput();
    System.out.println("e2e: status.output of the history run:\n" + output);
    assertThat(output).contains("Rev: 8192a3b4c5d6 (head)")
        .contains("Rev: 708192a3b4c5 (mergepoint)")
        .contains("Rev: 4d5e6f708192 (branchpoint)")
        .contains("Rev: 1a2b3c4d5e6f")
        .doesNotContain(env.db().password());
  }

  @Test
  void twoCurrentBranchHeadsShowAsBothRevisions() throws Exception {
    Environment env = environment("e2e_heads");
    cluster.apply(migration(env, APP_IMAGE, Action.UPGRADE, "5e6f708192a3"));
    assertRun(env, 1, "5e6f708192a3", List.of("alembic", "upgrade", "5e6f708192a3"));

    edit(env, d -> d.getSpec().setTarget("6f708192a3b4"));
    assertRun(env, 2, "5e6f708192a3,6f708192a3b4", List.of("alembic", "upgrade", "6f708192a3b4"));
  }

  @Test
  void aFailingRevisionIsReportedWithTheEngineErrorAndTheDatabaseStaysAtTheLastGoodOne()
      throws Exception {
    Environment env = environment("e2e_fail");
    cluster.apply(migration(env, BROKEN_IMAGE, Action.UPGRADE, "head"));

    DatabaseMigrationStatus failed = awaitFinished(env, 1);
    assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
    assertThat(failed.getMessage()).contains("boom: intentional failure in revision b2c3d4e5f6a7");
    assertThat(failed.getMessage().length()).isLessThan(2500);
    assertThat(postgres.alembicRevision(env.db().database())).isEqualTo("a1b2c3d4e5f6");
    assertThat(failed.getRevision().getCurrent()).isEqualTo("a1b2c3d4e5f6");
    assertThat(tableExists(env, "partial_table")).isFalse();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(client.v1().events().inNamespace(env.namespace()).list().getItems())
            .anySatisfy(e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains("boom: intentional failure");
            }));
    String everything = Serialization.asYaml(failed)
        + Serialization.asYaml(client.v1().events().inNamespace(env.namespace()).list())
        + Serialization.asYaml(cluster.jobs(env.namespace()));
    assertThat(everything).doesNotContain(env.db().password());

    edit(env, d -> d.getSpec().setTarget("a1b2c3d4e5f6"));
    assertRun(env, 2, "a1b2c3d4e5f6", List.of("alembic", "upgrade", "a1b2c3d4e5f6"));
  }

  static List<Event> events(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems();
  }
}
