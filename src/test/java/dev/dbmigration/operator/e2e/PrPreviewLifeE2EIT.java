package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.api.v1alpha1.RunRecord;
import dev.dbmigration.operator.testing.Directories;
import dev.dbmigration.operator.testing.RealMigrationStack;
import dev.dbmigration.operator.testing.ServiceAccountClients;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import dev.dbmigration.operator.waiting.WaitForMigration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull request's life with the PR-preview chart in examples/pr-preview, on the real API server,
 * with the local Job runner running the real alembic against a real PostgreSQL: the environment
 * comes up before its database (waiting), the database comes up (migrated to the build's head,
 * the app's init container released), the PR is rebuilt with a new revision (migrated again),
 * the PR is closed (everything removed).
 */
class PrPreviewLifeE2EIT {

  static final Path CHART = Path.of("examples/pr-preview");
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final String REPOSITORY = "registry.example/wps-api";
  static final String BUILD_1 = "pr-1234-build-1";
  static final String BUILD_2 = "pr-1234-build-2";
  static final String BUILD_1_HEAD = "708192a3b4c5";
  static final String BUILD_2_HEAD = "8192a3b4c5d6";

  @TempDir
  static Path builds;

  static RealMigrationStack stack;
  static KubernetesClient admin;
  static TestCluster cluster;
  static TestPostgres postgres;

  @BeforeAll
  static void start() throws IOException {
    // Build 1 of the PR lacks the sample's newest revision; build 2 adds it.
    Path build1 = builds.resolve("build-1");
    Directories.copy(Path.of("examples/alembic"), build1);
    try (Stream<Path> newest = Files.list(build1.resolve("migrations/versions"))) {
      for (Path file : newest.filter(f -> f.getFileName().toString().startsWith(BUILD_2_HEAD))
          .toList()) {
        Files.delete(file);
      }
    }
    stack = RealMigrationStack.start(Map.of(REPOSITORY + ":" + BUILD_1, build1,
        REPOSITORY + ":" + BUILD_2, Path.of("examples/alembic")));
    admin = stack.client();
    cluster = stack.cluster();
    postgres = stack.postgres();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aPullRequestsEnvironmentMigratesItselfThroughItsLife() throws Exception {
    TestPostgres.Credentials db = postgres.createDatabase("pr_1234");
    String ns = cluster.newNamespace("wps-pr-1234");
    // What the PR's Patroni chart creates beside the app: the credentials Secret.
    cluster.createSecret(ns, "wps-pr-1234-creds", Map.of("app-db-name",
        db.database(), "app-db-username", db.username(), "app-db-password", db.password()));

    // 1. The PR opens: the app's chart is installed while its database is still starting.
    List<HasMetadata> release = template(ns, BUILD_1);
    release.forEach(o -> admin.resource(o).inNamespace(ns).serverSideApply());
    DatabaseMigrationStatus waiting = awaitStatus(ns,
        s -> s.getPhase() == Phase.WaitingForDatabase);
    assertThat(readyReason(waiting)).isEqualTo(Reasons.LEADER_NOT_FOUND);
    assertThat(cluster.jobs(ns)).isEmpty();
    ByteArrayOutputStream initLog = new ByteArrayOutputStream();
    CompletableFuture<Integer> initContainer = initContainer(ns, REPOSITORY + ":" + BUILD_1,
        initLog);

    // 2. The database comes up: its leader pod appears, the build is migrated to its head.
    cluster.createReadyPod(ns, "patroni-wps-pr-1234-0",
        Map.of("cluster-name", "patroni-wps-pr-1234", "role", "master"), postgres.host());
    DatabaseMigrationStatus first = awaitStatus(ns, s -> s.getPhase() == Phase.Succeeded);
    assertThat(first.getImage()).isEqualTo(REPOSITORY + ":" + BUILD_1);
    assertThat(first.getRevision().getCurrent()).isEqualTo(BUILD_1_HEAD);
    assertThat(postgres.alembicRevision(db.database())).isEqualTo(BUILD_1_HEAD);
    assertThat(initContainer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .as("the app's init container is released").isEqualTo(WaitForMigration.READY);

    // 3. The PR is rebuilt with a new migration: the Deployment's new image runs it once.
    template(ns, BUILD_2).stream().filter(o -> o instanceof Deployment)
        .forEach(o -> admin.resource(o).inNamespace(ns).serverSideApply());
    DatabaseMigrationStatus second = awaitStatus(ns, s -> s.getPhase() == Phase.Succeeded
        && (REPOSITORY + ":" + BUILD_2).equals(s.getImage()));
    assertThat(second.getRevision().getCurrent()).isEqualTo(BUILD_2_HEAD);
    assertThat(postgres.alembicRevision(db.database())).isEqualTo(BUILD_2_HEAD);
    assertThat(second.getHistory()).extracting(RunRecord::getImage, RunRecord::getFrom,
        RunRecord::getTo, RunRecord::getResult).containsExactly(
            org.assertj.core.groups.Tuple.tuple(REPOSITORY + ":" + BUILD_1, "base", BUILD_1_HEAD,
                "Succeeded"),
            org.assertj.core.groups.Tuple.tuple(REPOSITORY + ":" + BUILD_2, BUILD_1_HEAD,
                BUILD_2_HEAD, "Succeeded"));
    assertThat(cluster.jobs(ns)).hasSize(2);
    ByteArrayOutputStream secondInit = new ByteArrayOutputStream();
    assertThat(initContainer(ns, REPOSITORY + ":" + BUILD_2, secondInit)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(WaitForMigration.READY);

    // 4. The PR is closed: the release is uninstalled at once (no finalizer holds it); its
    // migration's Jobs are owned by it, for the garbage collector to take with it (this API
    // server runs none: the real-cluster tier shows them go).
    String uid = admin.resources(DatabaseMigration.class).inNamespace(ns).list().getItems().get(0)
        .getMetadata().getUid();
    release.stream().sorted(Comparator.comparing(o -> o instanceof DatabaseMigration ? 0 : 1))
        .forEach(o -> admin.resource(o).inNamespace(ns).delete());
    await("the PR's resources removed").atMost(TIMEOUT).until(() ->
        admin.resources(DatabaseMigration.class).inNamespace(ns).list().getItems().isEmpty());
    assertThat(cluster.jobs(ns)).hasSize(2).allSatisfy(job -> assertThat(job.getMetadata()
        .getOwnerReferences()).extracting(o -> o.getUid()).containsExactly(uid));
    assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(postgres.alembicRevision(db.database())).as("the database keeps its schema")
        .isEqualTo(BUILD_2_HEAD);
  }

  /** {@code helm template pr-1234 examples/pr-preview --set image.tag=BUILD}. */
  static List<HasMetadata> template(String ns, String tag) {
    String yaml = new Helm(CHART).template().withName("pr-1234").withNamespace(ns)
        .set("pr", "1234").set("image.tag", tag)
        .set("migration.port", String.valueOf(postgres.port())).call();
    return admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  /** What the Deployment's init container does, as the app's ServiceAccount. */
  static CompletableFuture<Integer> initContainer(String ns, String image,
      ByteArrayOutputStream log) {
    KubernetesClient app = ServiceAccountClients.clientFor(admin, ns, "wps-api");
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    return CompletableFuture.supplyAsync(() -> {
      try (app) {
        return new WaitForMigration(app, ns, "wps-api", image, out, Clock.systemUTC())
            .await(Duration.ofMinutes(3));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  static DatabaseMigrationStatus awaitStatus(String ns,
      java.util.function.Predicate<DatabaseMigrationStatus> until) {
    return await("wps-api status").atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = admin.resources(DatabaseMigration.class).inNamespace(ns)
          .withName("wps-api").get();
      return dbm == null ? null : dbm.getStatus();
    }, s -> s != null && s.getPhase() != null && until.test(s));
  }

  static String readyReason(DatabaseMigrationStatus status) {
    return status.getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getReason()).findFirst().orElse(null);
  }
}
