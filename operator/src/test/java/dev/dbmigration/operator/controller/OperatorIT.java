package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator core on a real kube-apiserver: resource → leader → Job → status. */
class OperatorIT {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static KubernetesClient client;
  static TestCluster cluster;
  static OperatorHarness operator;

  /**
   * The Kubernetes side alone: the leader pods carry loopback IPs where no database listens, so
   * the operator runs with DATABASE_CHECK=best-effort (see OperatorHarness.withoutDatabase);
   * reliability/DatabaseNotReadyIT proves the default, which waits for the database.
   */
  @BeforeAll
  static void start() {
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    cluster = new TestCluster(client);
    operator = OperatorHarness.withoutDatabase(client).start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (client != null) {
      client.close();
    }
  }

  /** A namespace with the seed's Secret and one Patroni leader at 127.128.3.17. */
  static String environmentWithLeader(String prefix, String name) {
    String ns = cluster.newNamespace(prefix);
    cluster.createSeedSecret(ns, name + "-creds");
    cluster.createReadyPod(ns, "patroni-" + name + "-0",
        Map.of("cluster-name", "patroni-" + name, "role", "master"), "127.128.3.17");
    return ns;
  }

  static DatabaseMigrationStatus awaitStatus(String ns, String name,
      Predicate<DatabaseMigrationStatus> until) {
    return await(name + " status").atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = client.resources(DatabaseMigration.class).inNamespace(ns)
          .withName(name).get();
      return dbm == null ? null : dbm.getStatus();
    // A resource not reconciled yet reads back with an empty status: no phase, no conditions.
    }, s -> s != null && s.getPhase() != null && until.test(s));
  }

  static Job awaitSingleJob(String ns) {
    return await("one Job in " + ns).atMost(TIMEOUT)
        .until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1).get(0);
  }

  static Condition condition(DatabaseMigrationStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow();
  }

  static Map<String, EnvVar> env(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
  }

  static List<String> command(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand();
  }

  static List<Event> events(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems();
  }

  @Test
  void runsAlembicUpgradeHeadAgainstThePatroniLeaderAndReportsSuccess() {
    String ns = environmentWithLeader("happy", "wps-api");
    cluster.apply(Fixtures.migration(ns, "wps-api"));

    Job job = awaitSingleJob(ns);
    assertThat(command(job)).containsExactly("alembic", "upgrade", "head");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getWorkingDir())
        .isEqualTo("/app/bootstrap");
    Map<String, EnvVar> env = env(job);
    // DBMIGRATION_LOCK_HELD: the pod's lock sidecar holds the database's lock (spec.databaseLock),
    // so an env.py that takes the same lock does not wait for its own run.
    assertThat(env).containsOnlyKeys("POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DATABASE",
        "POSTGRES_USER", "POSTGRES_PASSWORD", "DBMIGRATION_LOCK_HELD");
    assertThat(env.get("DBMIGRATION_LOCK_HELD").getValue()).isEqualTo("true");
    assertThat(job.getSpec().getTemplate().getSpec().getInitContainers())
        .extracting(c -> c.getName() + " " + c.getRestartPolicy()).containsExactly("lock Always");
    assertThat(env.get("POSTGRES_HOST").getValue()).isEqualTo("127.128.3.17");
    assertThat(env.get("POSTGRES_PORT").getValue()).isEqualTo("5432");
    assertThat(env.get("POSTGRES_PASSWORD").getValue()).isNull();
    assertThat(env.get("POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("wps-api-creds");
    assertThat(env.get("POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("app-db-password");
    assertThat(env.get("POSTGRES_USER").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("app-db-username");
    assertThat(env.get("POSTGRES_DATABASE").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("app-db-name");
    assertThat(Serialization.asYaml(job)).doesNotContain(TestCluster.PASSWORD);
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getController()).isTrue());

    DatabaseMigrationStatus running = awaitStatus(ns, "wps-api", s -> s.getPhase() == Phase.Running);
    // Nothing listens at the fake leader's address: the operator says it could not check the
    // database, and the migration runs in its Job all the same.
    assertThat(condition(running, "DatabaseReachable").getStatus()).isEqualTo("False");
    assertThat(condition(running, "DatabaseReachable").getReason()).isEqualTo("DatabaseUnreachable");
    assertThat(condition(running, "DatabaseReachable").getMessage()).contains("127.128.3.17")
        .doesNotContain(TestCluster.PASSWORD);
    assertThat(running.getLeader().getPod()).isEqualTo("patroni-wps-api-0");
    assertThat(running.getLeader().getHost()).isEqualTo("127.128.3.17");
    assertThat(running.getJobName()).isEqualTo(job.getMetadata().getName());

    cluster.completeJob(ns, job.getMetadata().getName());

    DatabaseMigrationStatus done = awaitStatus(ns, "wps-api",
        s -> s.getPhase() == Phase.Succeeded);
    assertThat(condition(done, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(done, "Ready").getReason()).isEqualTo("MigrationSucceeded");
    assertThat(condition(done, "Stalled").getStatus()).isEqualTo("False");
    assertThat(done.getObservedGeneration()).isEqualTo(1L);
    assertThat(done.getCompletionTime()).isNotBlank();
    assertThat(Serialization.asYaml(done)).doesNotContain(TestCluster.PASSWORD);
    // One Event per run, at its end, saying how it started: the start's own would be one more
    // write per run, and the status and the Job's Events already say it.
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events(ns))
        .filteredOn(e -> e.getReason().startsWith("Migration"))
        .singleElement().satisfies(e -> {
          assertThat(e.getReason()).isEqualTo("MigrationSucceeded");
          assertThat(e.getMessage()).contains("started " + done.getStartTime()
              + " against leader " + running.getLeader().getPod());
        }));
    assertThat(cluster.jobs(ns)).hasSize(1);
  }

  @Test
  void aFailedJobGivesFailedWithAReasonAndAWarningEvent() {
    String ns = environmentWithLeader("fail", "app");
    cluster.apply(Fixtures.migration(ns, "app"));
    Job job = awaitSingleJob(ns);

    cluster.failJob(ns, job.getMetadata().getName());

    DatabaseMigrationStatus failed = awaitStatus(ns, "app", s -> s.getPhase() == Phase.Failed);
    assertThat(condition(failed, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(failed, "Ready").getReason()).isEqualTo("MigrationFailed");
    assertThat(condition(failed, "Stalled").getStatus()).isEqualTo("True");
    assertThat(failed.getMessage()).contains(job.getMetadata().getName()).contains("BackoffLimitExceeded");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events(ns))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo("MigrationFailed");
        }));
    assertThat(cluster.jobs(ns)).hasSize(1);
  }

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
      "upgrade,   head,         alembic upgrade head",
      "upgrade,   1a2b3c4d5e6f, alembic upgrade 1a2b3c4d5e6f",
      "upgrade,   +3,           alembic upgrade +3",
      "downgrade, 1a2b3c4d5e6f, alembic downgrade 1a2b3c4d5e6f",
      "downgrade, -2,           alembic downgrade -2",
      "downgrade, base,         alembic downgrade base"})
  void eachSeedCommandBecomesTheJobsArgumentList(String action, String target, String expected) {
    String ns = environmentWithLeader("cmd", "app");
    DatabaseMigration dbm = Fixtures.migration(ns, "app");
    dbm.getSpec().setAction(Action.valueOf(action.toUpperCase()));
    dbm.getSpec().setTarget(target);
    dbm.getSpec().setAllowDowngrade(action.equals("downgrade"));
    cluster.apply(dbm);

    assertThat(command(awaitSingleJob(ns))).containsExactly(expected.split(" "));
  }

  @Test
  void waitsForALeaderAndStartsWhenOneAppears() {
    String ns = cluster.newNamespace("wait");
    cluster.createSeedSecret(ns, "app-creds");
    cluster.apply(Fixtures.migration(ns, "app"));

    DatabaseMigrationStatus waiting = awaitStatus(ns, "app",
        s -> s.getPhase() == Phase.WaitingForDatabase);
    assertThat(condition(waiting, "Ready").getReason()).isEqualTo("LeaderNotFound");
    assertThat(waiting.getMessage()).contains("cluster-name=patroni-app");
    assertThat(cluster.jobs(ns)).isEmpty();

    cluster.createReadyPod(ns, "patroni-app-1",
        Map.of("cluster-name", "patroni-app", "role", "primary"), "127.0.0.9");

    Job job = awaitSingleJob(ns);
    assertThat(env(job).get("POSTGRES_HOST").getValue()).isEqualTo("127.0.0.9");
    awaitStatus(ns, "app", s -> s.getPhase() == Phase.Running);
  }

  @Test
  void onlyReplicasMeansWaitingAndTheConditionNamesThem() {
    String ns = cluster.newNamespace("replicas");
    cluster.createSeedSecret(ns, "app-creds");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "replica"), "127.0.0.1");
    cluster.apply(Fixtures.migration(ns, "app"));

    DatabaseMigrationStatus waiting = awaitStatus(ns, "app",
        s -> s.getPhase() == Phase.WaitingForDatabase);
    assertThat(condition(waiting, "Ready").getMessage()).contains("patroni-app-0")
        .contains("role=replica");
    assertThat(cluster.jobs(ns)).isEmpty();
  }

  @Test
  void twoLeadersMeanNoJobAndTheConditionNamesBoth() {
    String ns = cluster.newNamespace("split");
    cluster.createSeedSecret(ns, "app-creds");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), "127.0.0.1");
    cluster.createReadyPod(ns, "patroni-app-1",
        Map.of("cluster-name", "patroni-app", "role", "primary"), "127.0.0.2");
    cluster.apply(Fixtures.migration(ns, "app"));

    DatabaseMigrationStatus waiting = awaitStatus(ns, "app",
        s -> s.getPhase() == Phase.WaitingForDatabase);
    assertThat(condition(waiting, "Ready").getReason()).isEqualTo("MultipleLeaders");
    assertThat(condition(waiting, "Ready").getMessage()).contains("patroni-app-0", "patroni-app-1");
    assertThat(cluster.jobs(ns)).isEmpty();
  }

  @Test
  void aMissingSecretIsNamedAndTheRunProceedsOnceItExists() {
    String ns = cluster.newNamespace("nosecret");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), "127.0.0.1");
    cluster.apply(Fixtures.migration(ns, "app"));

    DatabaseMigrationStatus pending = awaitStatus(ns, "app",
        s -> "SecretNotFound".equals(condition(s, "Ready").getReason()));
    assertThat(pending.getPhase()).isEqualTo(Phase.Pending);
    assertThat(pending.getMessage()).contains("app-creds");
    assertThat(cluster.jobs(ns)).isEmpty();

    cluster.createSeedSecret(ns, "app-creds");

    awaitSingleJob(ns);
  }

  @Test
  void aMissingKeyIsNamedAndTheRunProceedsOnceItIsAdded() {
    String ns = cluster.newNamespace("nokey");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), "127.0.0.1");
    cluster.createSecret(ns, "app-creds", Map.of("app-db-name", "wps", "app-db-username", "wps"));
    DatabaseMigration dbm = Fixtures.migration(ns, "app");
    cluster.apply(dbm);

    DatabaseMigrationStatus pending = awaitStatus(ns, "app",
        s -> "SecretKeyMissing".equals(condition(s, "Ready").getReason()));
    assertThat(pending.getMessage()).contains("app-db-password");
    assertThat(cluster.jobs(ns)).isEmpty();

    client.secrets().inNamespace(ns).withName("app-creds").edit(s -> {
      s.getData().put("app-db-password", java.util.Base64.getEncoder()
          .encodeToString(TestCluster.PASSWORD.getBytes()));
      return s;
    });

    awaitSingleJob(ns);
  }

  @Test
  void twoResourcesOnOneDatabaseNeverRunAtOnceAndTheSecondSaysItWaits() {
    // Two environments whose Secrets name the same database on the same leader address.
    String first = cluster.newNamespace("same-db-a");
    String second = cluster.newNamespace("same-db-b");
    for (String ns : List.of(first, second)) {
      cluster.createSeedSecret(ns, "app-creds", "shared");
      cluster.createReadyPod(ns, "patroni-app-0",
          Map.of("cluster-name", "patroni-app", "role", "master"), "127.0.8.8");
    }
    cluster.apply(Fixtures.migration(first, "app"));
    Job running = awaitSingleJob(first);

    cluster.apply(Fixtures.migration(second, "app"));
    DatabaseMigrationStatus waiting = awaitStatus(second, "app",
        s -> "WaitingForOtherMigration".equals(condition(s, "Ready").getReason()));
    assertThat(waiting.getPhase()).isEqualTo(Phase.Pending);
    assertThat(waiting.getMessage()).contains(first + "/app")
        .contains(running.getMetadata().getName());
    assertThat(cluster.jobs(second)).isEmpty();

    cluster.completeJob(first, running.getMetadata().getName());
    awaitStatus(first, "app", s -> s.getPhase() == Phase.Succeeded);
    Job next = await("the waiting run starts").atMost(Duration.ofSeconds(45))
        .until(() -> cluster.jobs(second), jobs -> jobs.size() == 1).get(0);
    cluster.completeJob(second, next.getMetadata().getName());
    awaitStatus(second, "app", s -> s.getPhase() == Phase.Succeeded);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events(second))
        .extracting(Event::getReason).contains("WaitingForOtherMigration", "MigrationSucceeded"));
  }

  @Test
  void customKeysAndEnvNamesReachTheJob() {
    String ns = cluster.newNamespace("custom");
    cluster.createSecret(ns, "db", Map.of("dbname", "x", "user", "u", "pass", "p"));
    cluster.createReadyPod(ns, "pg-0", Map.of("cnpg.io/cluster", "pg",
        "cnpg.io/instanceRole", "primary"), "127.1.1.1");
    DatabaseMigration dbm = Fixtures.migration(ns, "app");
    dbm.getSpec().getDatabase().getCredentialsSecret().setName("db");
    SecretKeys keys = new SecretKeys();
    keys.setDatabase("dbname");
    keys.setUsername("user");
    keys.setPassword("pass");
    dbm.getSpec().getDatabase().getCredentialsSecret().setKeys(keys);
    dbm.getSpec().getDatabase().getLeader().setSelector(Map.of("cnpg.io/cluster", "pg"));
    dbm.getSpec().getDatabase().getLeader()
        .setPreset(dev.dbmigration.operator.api.v1alpha1.LeaderPreset.CLOUDNATIVEPG);
    dbm.getSpec().getEnv().setPassword("DB_PASS");
    dbm.getSpec().getDatabase().setPort(6432);
    cluster.apply(dbm);

    Map<String, EnvVar> env = env(awaitSingleJob(ns));
    assertThat(env.get("DB_PASS").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pass");
    assertThat(env.get("POSTGRES_HOST").getValue()).isEqualTo("127.1.1.1");
    assertThat(env.get("POSTGRES_PORT").getValue()).isEqualTo("6432");
  }

  @Test
  void aSpecChangeRunsAgainAndARerunAnnotationRunsOnceMore() {
    String ns = environmentWithLeader("again", "app");
    cluster.apply(Fixtures.migration(ns, "app"));
    Job first = awaitSingleJob(ns);
    cluster.completeJob(ns, first.getMetadata().getName());
    awaitStatus(ns, "app", s -> s.getPhase() == Phase.Succeeded);

    client.resources(DatabaseMigration.class).inNamespace(ns).withName("app").edit(d -> {
      d.getSpec().setImage("registry.example/wps-api:pr-1234-2");
      return d;
    });
    List<Job> two = await().atMost(TIMEOUT).until(() -> cluster.jobs(ns), j -> j.size() == 2);
    Job second = two.stream().filter(j -> !j.getMetadata().getName()
        .equals(first.getMetadata().getName())).findFirst().orElseThrow();
    assertThat(second.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example/wps-api:pr-1234-2");
    DatabaseMigrationStatus running = awaitStatus(ns, "app",
        s -> s.getObservedGeneration() == 2L && s.getPhase() == Phase.Running);
    assertThat(running.getJobName()).isEqualTo(second.getMetadata().getName());
    cluster.completeJob(ns, second.getMetadata().getName());
    awaitStatus(ns, "app", s -> s.getPhase() == Phase.Succeeded && s.getObservedGeneration() == 2L);

    client.resources(DatabaseMigration.class).inNamespace(ns).withName("app").edit(d -> {
      d.getMetadata().setAnnotations(new java.util.HashMap<>(
          Map.of(DatabaseMigration.RERUN_ANNOTATION, "2026-11-24T1")));
      return d;
    });

    await().atMost(TIMEOUT).until(() -> cluster.jobs(ns), j -> j.size() == 3);
    DatabaseMigrationStatus rerun = awaitStatus(ns, "app",
        s -> "2026-11-24T1".equals(s.getRerun()) && s.getPhase() == Phase.Running);
    assertThat(rerun.getObservedGeneration()).isEqualTo(2L);
  }
}
