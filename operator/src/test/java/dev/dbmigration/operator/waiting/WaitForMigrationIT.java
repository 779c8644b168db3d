package dev.dbmigration.operator.waiting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.ServiceAccountClients;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The `wait` mode an app's init container runs, on the real API server, authenticated as the
 * app's ServiceAccount with exactly the Role of examples/wait-for-migration: get and watch on
 * its one DatabaseMigration.
 */
class WaitForMigrationIT {

  static final Path EXAMPLE =
      Path.of("examples/wait-for-migration/app-waits-for-its-migration.yaml");
  static final Duration TIMEOUT = Duration.ofSeconds(45);

  static KubernetesClient admin;
  static TestCluster cluster;
  static OperatorHarness operator;

  @BeforeAll
  static void start() {
    admin = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(admin);
    cluster = new TestCluster(admin);
    operator = new OperatorHarness(admin).start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void returnsReadyOnceTheMigrationSucceeded() throws Exception {
    String ns = environment("wait-ok");
    try (KubernetesClient app = appClient(ns)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CompletableFuture<Integer> waiting = waitInBackground(app, ns, out);
      // An init container may start before its migration is even applied.
      await("the waiter saw no resource").atMost(TIMEOUT).until(() ->
          out.toString(StandardCharsets.UTF_8).contains("the DatabaseMigration does not exist"));

      admin.resource(migration(ns)).create();
      Job job = await("the Job").atMost(TIMEOUT).until(() -> cluster.jobs(ns), j -> j.size() == 1)
          .get(0);
      await("Running seen by the waiter").atMost(TIMEOUT)
          .until(() -> out.toString(StandardCharsets.UTF_8).contains("WAITING Running"));
      assertThat(waiting).isNotDone();

      cluster.completeJob(ns, job.getMetadata().getName());

      assertThat(waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(WaitForMigration.READY);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("READY Succeeded (MigrationSucceeded)");
    }
  }

  @Test
  void failsWhenTheMigrationFailedSoTheInitContainerIsRetried() throws Exception {
    String ns = environment("wait-failed");
    admin.resource(migration(ns)).create();
    Job job = await("the Job").atMost(TIMEOUT).until(() -> cluster.jobs(ns), j -> j.size() == 1)
        .get(0);
    cluster.failJob(ns, job.getMetadata().getName());
    await("Failed").atMost(TIMEOUT).until(() -> admin.resources(DatabaseMigration.class)
        .inNamespace(ns).withName("wps-api").get().getStatus(),
        s -> s != null && s.getPhase() == Phase.Failed);

    try (KubernetesClient app = appClient(ns)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(waitInBackground(app, ns, out).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(WaitForMigration.FAILED);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAILED Failed (MigrationFailed)");
    }
  }

  @Test
  void timesOutWhenAskedTo() throws Exception {
    String ns = environment("wait-timeout");
    try (KubernetesClient app = appClient(ns)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = new WaitForMigration(app, ns, "wps-api", new PrintStream(out, true,
          StandardCharsets.UTF_8), Clock.systemUTC()).await(Duration.ofSeconds(1));

      assertThat(code).isEqualTo(WaitForMigration.TIMED_OUT);
    }
  }

  @Test
  void theAppsAccountCanReadNothingElse() throws Exception {
    String ns = environment("wait-rbac");
    try (KubernetesClient app = appClient(ns)) {
      assertThatThrownBy(() -> app.resources(DatabaseMigration.class).inNamespace(ns).list())
          .isInstanceOfSatisfying(KubernetesClientException.class,
              e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> app.secrets().inNamespace(ns).withName("wps-api-creds").get())
          .isInstanceOfSatisfying(KubernetesClientException.class,
              e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  /**
   * A namespace with a reachable database, a Patroni leader pod, and the example's
   * ServiceAccount, Role and RoleBinding (the example's Deployment is left out: no kubelet).
   */
  static String environment(String prefix) throws Exception {
    TestPostgres postgres = TestPostgres.get();
    TestPostgres.Credentials db = postgres.createDatabase(prefix.replace('-', '_'));
    String ns = cluster.newNamespace(prefix);
    cluster.createDatabaseEnvironment(ns, "wps-api-creds", "patroni-wps-api", db, postgres);
    List<HasMetadata> objects;
    try (InputStream in = Files.newInputStream(EXAMPLE)) {
      objects = admin.load(in).items();
    }
    for (HasMetadata object : objects) {
      if (object.getKind().equals("Deployment")) {
        continue;
      }
      object.getMetadata().setNamespace(ns);
      if (object instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding binding) {
        binding.getSubjects().forEach(s -> s.setNamespace(ns));
      }
      admin.resource(object).create();
    }
    return ns;
  }

  static DatabaseMigration migration(String ns) {
    DatabaseMigration dbm = Fixtures.migration(ns, "wps-api");
    dbm.getSpec().getDatabase().setPort(TestPostgres.get().port());
    return dbm;
  }

  static KubernetesClient appClient(String ns) {
    return ServiceAccountClients.clientFor(admin, ns, "wps-api");
  }

  static CompletableFuture<Integer> waitInBackground(KubernetesClient app, String ns,
      ByteArrayOutputStream out) {
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new WaitForMigration(app, ns, "wps-api", print, Clock.systemUTC())
            .await(Duration.ofMinutes(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }
}
