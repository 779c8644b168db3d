package dev.dbmigration.operator.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on a real kube-apiserver (no controllers, no kubelet): Jobs shaped like the
 * operator's run real local programs, and the API server accepts every status the runner writes.
 */
class LocalJobRunnerIT {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String PYTHON = "/usr/bin/python3";
  static final String UNMAPPED_IMAGE = "registry.example/not-mapped:7";

  /** Prints where it connects and checks the password against a hash, never printing it. */
  static final String CHECK_ENV = String.join("\n",
      "import hashlib, os, sys",
      "print('host=' + os.environ['POSTGRES_HOST'])",
      "print('port=' + os.environ['POSTGRES_PORT'])",
      "print('user=' + os.environ['POSTGRES_USER'])",
      "print('cwd=' + os.getcwd())",
      "print('names=' + ','.join(sorted(os.environ)))",
      "ok = hashlib.sha256(os.environ['POSTGRES_PASSWORD'].encode()).hexdigest() == sys.argv[1]",
      "print('password ' + ('matches' if ok else 'differs'))",
      "sys.exit(0 if ok else 1)",
      "");
  static final String HUNDRED_LINES_THEN_EXIT_3 = String.join("\n",
      "import sys",
      "for i in range(1, 101):",
      "    print('line %d' % i)",
      "sys.exit(3)",
      "");
  /** Fails while the marker file is missing, creating it: the second attempt succeeds. */
  static final String FAIL_ONCE = String.join("\n",
      "import os, sys",
      "marker = sys.argv[1]",
      "if os.path.exists(marker):",
      "    print('second attempt'); sys.exit(0)",
      "open(marker, 'w').close()",
      "print('first attempt'); sys.exit(1)",
      "");
  static final String SLEEP = "import time\nprint('sleeping', flush=True)\ntime.sleep(120)\n";

  @TempDir
  static Path tmp;
  static Path imageRoot;
  static Path logs;
  static KubernetesClient client;
  static TestCluster cluster;
  static String ns;
  static String unservedNs;
  static String closingNs;
  static LocalJobRunner runner;

  @BeforeAll
  static void start() throws IOException {
    imageRoot = Files.createDirectories(tmp.resolve("image/app/bootstrap")).getParent().getParent();
    Path bootstrap = imageRoot.resolve("app/bootstrap");
    Files.writeString(bootstrap.resolve("check_env.py"), CHECK_ENV);
    Files.writeString(bootstrap.resolve("fail.py"), HUNDRED_LINES_THEN_EXIT_3);
    Files.writeString(bootstrap.resolve("fail_once.py"), FAIL_ONCE);
    Files.writeString(bootstrap.resolve("sleep.py"), SLEEP);
    logs = tmp.resolve("logs");

    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    cluster = new TestCluster(client);
    ns = cluster.newNamespace("localrun");
    unservedNs = cluster.newNamespace("localrun-other");
    runner = newRunner(Set.of(ns)).start();
  }

  @AfterAll
  static void stop() {
    if (runner != null) {
      runner.close();
    }
    if (client != null) {
      // No namespace controller runs to empty deleted namespaces: remove the resources that an
      // operator started by a later test would otherwise reconcile.
      for (String namespace : List.of(ns, unservedNs, closingNs)) {
        if (namespace != null) {
          client.resources(DatabaseMigration.class).inNamespace(namespace).delete();
        }
      }
      client.close();
    }
  }

  static LocalJobRunner newRunner(Set<String> namespaces) {
    return new LocalJobRunner(client, ImageMapping.of(Map.of(Fixtures.IMAGE, imageRoot)),
        Map.of("PYTHONDONTWRITEBYTECODE", "1"), namespaces, logs);
  }

  /** A Job as the operator builds it for a stored DatabaseMigration, with its command replaced. */
  static Job createJob(String namespace, String name, Consumer<DatabaseMigration> spec,
      Consumer<Job> job) {
    DatabaseMigration dbm = Fixtures.migration(namespace, name);
    spec.accept(dbm);
    DatabaseMigration stored = cluster.apply(dbm);
    Job built = MigrationJobBuilder.build(stored, name + "-run-1", "10.128.3.17");
    job.accept(built);
    return client.resource(built).create();
  }

  static Job createJob(String name, String... command) {
    return createJob(ns, name, dbm -> { }, job -> command(job, command));
  }

  static void command(Job job, String... command) {
    job.getSpec().getTemplate().getSpec().getContainers().get(0).setCommand(Arrays.asList(command));
  }

  static Job awaitJob(Job job, String conditionType) {
    return await(job.getMetadata().getName() + " " + conditionType).atMost(TIMEOUT)
        .until(() -> client.resource(job).get(), j -> condition(j, conditionType).isPresent());
  }

  static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  static List<Pod> pods(Job job) {
    return client.pods().inNamespace(job.getMetadata().getNamespace())
        .withLabel(JobPods.JOB_NAME_LABEL, job.getMetadata().getName()).list().getItems();
  }

  static Pod singlePod(Job job) {
    List<Pod> pods = pods(job);
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  static Pod awaitPod(Job job, Predicate<Pod> until) {
    return await(job.getMetadata().getName() + " pod").atMost(TIMEOUT)
        .until(() -> pods(job), pods -> pods.size() == 1 && until.test(pods.get(0))).get(0);
  }

  static ContainerStateTerminated terminated(Pod pod) {
    assertThat(pod.getStatus().getContainerStatuses()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(MigrationJobBuilder.CONTAINER_NAME));
    ContainerState state = pod.getStatus().getContainerStatuses().get(0).getState();
    assertThat(state.getTerminated()).isNotNull();
    return state.getTerminated();
  }

  static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertFailedForGood(Job done, String reason) {
    assertThat(condition(done, "FailureTarget")).hasValueSatisfying(c ->
        assertThat(c.getReason()).isEqualTo(reason));
    assertThat(condition(done, "Failed")).hasValueSatisfying(c ->
        assertThat(c.getReason()).isEqualTo(reason));
    assertThat(condition(done, "Complete")).isEmpty();
    // The API server leaves zero counts out.
    assertThat(done.getStatus().getActive()).isIn(null, 0);
    assertThat(done.getStatus().getFailed()).isEqualTo(1);
    assertThat(done.getStatus().getStartTime()).isNotBlank();
    assertThat(done.getStatus().getCompletionTime()).isNull();
  }

  /** The kit runs exactly the operator's Jobs, though it does not depend on the operator. */
  @Test
  void theRunnerServesTheLabelTheOperatorsJobsCarry() {
    assertThat(LocalJobRunner.JOB_LABEL).isEqualTo(Labels.MANAGED_BY);
    assertThat(LocalJobRunner.JOB_LABEL_VALUE).isEqualTo(Labels.MANAGED_BY_VALUE);
  }

  @Test
  void runsTheMigrationWithTheJobsEnvironmentAndCompletesTheJob() throws IOException {
    cluster.createSeedSecret(ns, "happy-creds");
    Job job = createJob("happy", PYTHON, "check_env.py", sha256(TestCluster.PASSWORD));

    Job done = awaitJob(job, "Complete");

    assertThat(condition(done, "SuccessCriteriaMet")).hasValueSatisfying(c ->
        assertThat(c.getReason()).isEqualTo("CompletionsReached"));
    assertThat(condition(done, "Complete").orElseThrow().getReason())
        .isEqualTo("CompletionsReached");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    // The API server leaves zero counts out.
    assertThat(done.getStatus().getActive()).isIn(null, 0);
    assertThat(done.getStatus().getStartTime()).isNotBlank();
    assertThat(done.getStatus().getCompletionTime()).isNotBlank();

    Pod pod = singlePod(done);
    assertThat(pod.getMetadata().getName()).matches("happy-run-1-[a-z0-9]{5}");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("batch.kubernetes.io/job-name", "happy-run-1")
        .containsEntry("job-name", "happy-run-1")
        .containsEntry("app.kubernetes.io/managed-by", "database-migration-operator")
        .containsEntry("batch.kubernetes.io/controller-uid", done.getMetadata().getUid());
    assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("Job");
      assertThat(o.getUid()).isEqualTo(done.getMetadata().getUid());
      assertThat(o.getController()).isTrue();
    });
    assertThat(pod.getSpec().getContainers().get(0).getCommand()).endsWith("check_env.py",
        sha256(TestCluster.PASSWORD));
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    ContainerStateTerminated end = terminated(pod);
    assertThat(end.getExitCode()).isZero();
    assertThat(end.getReason()).isEqualTo("Completed");

    String output = Files.readString(logs.resolve(ns).resolve(pod.getMetadata().getName() + ".log"));
    assertThat(output).contains("host=10.128.3.17\n", "port=5432\n", "user=wps\n",
        "cwd=" + imageRoot.resolve("app/bootstrap").toRealPath() + "\n", "password matches\n");
    assertThat(output).doesNotContain(TestCluster.PASSWORD);
    String names = output.lines().filter(l -> l.startsWith("names=")).findFirst().orElseThrow()
        .substring("names=".length());
    // Nothing of the test JVM's environment but the four inherited variables.
    assertThat(names.split(",")).isSubsetOf("POSTGRES_HOST", "POSTGRES_PORT",
        "POSTGRES_DATABASE", "POSTGRES_USER", "POSTGRES_PASSWORD", "PYTHONDONTWRITEBYTECODE",
        "PATH", "HOME", "LANG", "TMPDIR", "LC_CTYPE")
        .contains("POSTGRES_PASSWORD", "PYTHONDONTWRITEBYTECODE");
  }

  @Test
  void aNonZeroExitFailsTheJobWithTheOutputsTailOnThePod() {
    cluster.createSeedSecret(ns, "fails-creds");
    Job job = createJob("fails", PYTHON, "fail.py");

    Job done = awaitJob(job, "Failed");

    assertFailedForGood(done, "BackoffLimitExceeded");
    assertThat(condition(done, "Failed").orElseThrow().getMessage())
        .isEqualTo("Job has reached the specified backoff limit");
    Pod pod = singlePod(done);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    ContainerStateTerminated end = terminated(pod);
    assertThat(end.getExitCode()).isEqualTo(3);
    assertThat(end.getReason()).isEqualTo("Error");
    assertThat(end.getMessage()).startsWith("line 21\n").contains("line 99\n")
        .endsWith("line 100\n").doesNotContain("line 20\n");
  }

  @Test
  void aMissingSecretKeyFailsTheJobNamingTheKey() {
    cluster.createSecret(ns, "nokey-creds",
        Map.of("app-db-name", "wps", "app-db-username", "wps"));
    Job job = createJob("nokey", PYTHON, "check_env.py", "irrelevant");

    Job done = awaitJob(job, "Failed");

    assertFailedForGood(done, "BackoffLimitExceeded");
    ContainerStateTerminated end = terminated(singlePod(done));
    assertThat(end.getMessage()).contains("app-db-password").contains(ns + "/nokey-creds")
        .contains("POSTGRES_PASSWORD");
    assertThat(end.getReason()).isEqualTo(JobExecution.START_ERROR);
    assertThat(end.getExitCode()).isEqualTo(JobExecution.START_ERROR_EXIT_CODE);
  }

  @Test
  void anUnmappedImageFailsTheJobNamingTheImage() {
    cluster.createSeedSecret(ns, "unmapped-creds");
    Job job = createJob(ns, "unmapped", dbm -> dbm.getSpec().setImage(UNMAPPED_IMAGE),
        j -> command(j, PYTHON, "check_env.py", "irrelevant"));

    Job done = awaitJob(job, "Failed");

    assertFailedForGood(done, "BackoffLimitExceeded");
    ContainerStateTerminated end = terminated(singlePod(done));
    assertThat(end.getMessage()).contains(UNMAPPED_IMAGE);
  }

  @Test
  void theActiveDeadlineKillsTheProcessAndFailsTheJob() {
    cluster.createSeedSecret(ns, "slow-creds");
    Job job = createJob(ns, "slow", dbm -> { }, j -> {
      command(j, PYTHON, "sleep.py");
      j.getSpec().setActiveDeadlineSeconds(2L);
    });

    Job done = awaitJob(job, "Failed");

    assertFailedForGood(done, "DeadlineExceeded");
    assertThat(condition(done, "Failed").orElseThrow().getMessage())
        .isEqualTo("Job was active longer than specified deadline");
    Pod pod = singlePod(done);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(terminated(pod).getMessage()).isEqualTo("sleeping\n");
  }

  @Test
  void aBackoffLimitAboveZeroGetsAnotherPod() {
    cluster.createSeedSecret(ns, "retry-creds");
    Path marker = tmp.resolve("retry.marker");
    Job job = createJob(ns, "retry", dbm -> { }, j -> {
      command(j, PYTHON, "fail_once.py", marker.toString());
      j.getSpec().setBackoffLimit(1);
    });

    Job done = awaitJob(job, "Complete");

    assertThat(done.getStatus().getFailed()).isEqualTo(1);
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(pods(done)).extracting(p -> p.getStatus().getPhase())
        .containsExactlyInAnyOrder("Failed", "Succeeded");
  }

  @Test
  void leavesJobsOutsideItsNamespacesAlone() {
    cluster.createSeedSecret(unservedNs, "elsewhere-creds");
    Job elsewhere = createJob(unservedNs, "elsewhere", dbm -> { },
        j -> command(j, PYTHON, "check_env.py", sha256(TestCluster.PASSWORD)));
    cluster.createSeedSecret(ns, "here-creds");
    Job here = createJob("here", PYTHON, "check_env.py", sha256(TestCluster.PASSWORD));

    awaitJob(here, "Complete");

    Job untouched = client.resource(elsewhere).get();
    assertThat(untouched.getStatus() == null || untouched.getStatus().getStartTime() == null)
        .isTrue();
    assertThat(pods(untouched)).isEmpty();
  }

  @Test
  void closingKillsRunningProcessesAndFailsTheirJobs() {
    closingNs = cluster.newNamespace("localrun-close");
    cluster.createSeedSecret(closingNs, "stopped-creds");
    Job job;
    LocalJobRunner closing = newRunner(Set.of(closingNs)).start();
    try {
      job = createJob(closingNs, "stopped", dbm -> { }, j -> command(j, PYTHON, "sleep.py"));
      awaitPod(job, p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    } finally {
      closing.close();
    }

    Job done = client.resource(job).get();
    assertFailedForGood(done, JobExecution.RUNNER_STOPPED);
    Pod pod = singlePod(done);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(terminated(pod).getExitCode()).isEqualTo(143);
  }
}
