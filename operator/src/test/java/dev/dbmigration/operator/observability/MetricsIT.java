package dev.dbmigration.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.runtime.MetricsServer;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.install.AlertRules;
import dev.dbmigration.operator.install.GrafanaDashboard;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.GoTool;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.PromQl;
import dev.dbmigration.operator.testing.PrometheusText;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of the real operator on a real kube-apiserver, scraped over HTTP as Prometheus
 * would: a run that succeeds, one that fails (Flyway), one without a leader, each in its own
 * namespace, show up in the series tagged with that namespace and engine; and the chart's alerts
 * and dashboard read only what such a scrape has.
 */
class MetricsIT {

  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String LEADER_IP = "127.0.0.43";

  static KubernetesClient client;
  static TestCluster cluster;
  static OperatorHarness operator;
  static MetricsServer server;

  @BeforeAll
  static void start() throws Exception {
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    cluster = new TestCluster(client);
    // Leader pods here point where no database listens: the metrics are about the Kubernetes side.
    operator = OperatorHarness.withoutDatabase(client).start();
    server = new MetricsServer(0, operator.operator()::scrape);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (operator != null) {
      operator.stop();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void runsAreCountedByNamespaceAndEngineAndTheirDurationObserved() throws IOException {
    String succeeding = environment("metrics-ok", Engine.ALEMBIC);
    String failing = environment("metrics-fail", Engine.FLYWAY);
    String leaderless = cluster.newNamespace("metrics-noleader");
    cluster.createSeedSecret(leaderless, "app-creds");
    cluster.apply(Fixtures.migration(leaderless, "app"));

    Job ok = awaitJob(succeeding);
    Job bad = awaitJob(failing);
    awaitPhase(succeeding, s -> s.getPhase() == Phase.Running);
    awaitPhase(failing, s -> s.getPhase() == Phase.Running);
    await("both runs in flight").atMost(TIMEOUT).untilAsserted(() -> {
      PrometheusText scrape = PrometheusText.scrape(server.port());
      assertThat(scrape.value("dbmigration_migrations_in_flight", tags(succeeding, "alembic")))
          .contains(1.0);
      assertThat(scrape.value("dbmigration_migrations_in_flight", tags(failing, "flyway")))
          .contains(1.0);
    });

    cluster.completeJob(succeeding, ok.getMetadata().getName());
    cluster.failJob(failing, bad.getMetadata().getName());
    awaitPhase(succeeding, s -> s.getPhase() == Phase.Succeeded);
    awaitPhase(failing, s -> s.getPhase() == Phase.Failed);
    awaitPhase(leaderless, s -> s.getPhase() == Phase.WaitingForDatabase);

    PrometheusText scrape = await("the finished runs in /metrics").atMost(TIMEOUT).until(
        () -> PrometheusText.scrape(server.port()),
        s -> s.value("dbmigration_migrations_failed_total", tags(failing, "flyway")).isPresent()
            && s.value("dbmigration_leader_discovery_failures_total", tags(leaderless, "alembic"))
                .isPresent());

    assertThat(scrape.contentType()).startsWith("text/plain; version=0.0.4");
    Map<String, String> ok1 = tags(succeeding, "alembic");
    assertThat(scrape.value("dbmigration_migrations_started_total", ok1)).contains(1.0);
    assertThat(scrape.value("dbmigration_migrations_succeeded_total", ok1)).contains(1.0);
    assertThat(scrape.value("dbmigration_migrations_failed_total", ok1)).isEmpty();
    assertThat(scrape.value("dbmigration_migrations_in_flight", ok1)).contains(0.0);
    Map<String, String> bad1 = tags(failing, "flyway");
    assertThat(scrape.value("dbmigration_migrations_started_total", bad1)).contains(1.0);
    assertThat(scrape.value("dbmigration_migrations_failed_total", bad1)).contains(1.0);
    assertThat(scrape.value("dbmigration_migrations_in_flight", bad1)).contains(0.0);
    assertThat(scrape.value("dbmigration_leader_discovery_failures_total",
        Map.of("namespace", leaderless, "engine", "alembic", "reason", "LeaderNotFound")))
        .contains(1.0);
    assertThat(scrape.value("dbmigration_migrations_started_total",
        tags(leaderless, "alembic"))).isEmpty();

    // The duration histogram: one observation per finished run, in buckets a dashboard can use.
    Map<String, String> okDuration = Map.of("namespace", succeeding, "engine", "alembic",
        "outcome", "succeeded");
    assertThat(scrape.value("dbmigration_migration_duration_seconds_count", okDuration))
        .contains(1.0);
    // Kubernetes times have whole seconds, so a run the test finishes at once may last 0 s: the
    // observation is the run's own span as its status reports it.
    DatabaseMigrationStatus okStatus =
        awaitPhase(succeeding, st -> st.getPhase() == Phase.Succeeded);
    double span = Duration.between(Instant.parse(okStatus.getStartTime()),
        Instant.parse(okStatus.getCompletionTime())).toMillis() / 1000.0;
    assertThat(scrape.value("dbmigration_migration_duration_seconds_sum", okDuration))
        .contains(span);
    assertThat(scrape.value("dbmigration_migration_duration_seconds_bucket",
        with(okDuration, "le", "+Inf"))).contains(1.0);
    assertThat(scrape.value("dbmigration_migration_duration_seconds_bucket",
        with(okDuration, "le", "1800.0"))).contains(1.0);
    assertThat(scrape.value("dbmigration_migration_duration_seconds_count",
        Map.of("namespace", failing, "engine", "flyway", "outcome", "failed"))).contains(1.0);

    // Where the resources stand, per namespace and phase, read from the cache at the scrape.
    assertThat(scrape.value("dbmigration_migrations_phase",
        Map.of("namespace", succeeding, "phase", "Succeeded"))).contains(1.0);
    assertThat(scrape.value("dbmigration_migrations_phase",
        Map.of("namespace", succeeding, "phase", "Running"))).contains(0.0);
    assertThat(scrape.value("dbmigration_migrations_phase",
        Map.of("namespace", failing, "phase", "Failed"))).contains(1.0);
    assertThat(scrape.value("dbmigration_migrations_phase",
        Map.of("namespace", leaderless, "phase", "WaitingForDatabase"))).contains(1.0);
    assertThat(scrape.series("dbmigration_migrations_phase"))
        .filteredOn(s -> s.labels().get("namespace").equals(succeeding))
        .extracting(s -> s.labels().get("phase"))
        .containsExactlyInAnyOrder(Arrays.stream(Phase.values()).map(Phase::name)
            .toArray(String[]::new));
    for (String ns : List.of(succeeding, failing, leaderless)) {
      assertThat(scrape.value("dbmigration_migrations_past_deadline", Map.of("namespace", ns)))
          .contains(0.0);
      assertThat(scrape.value("dbmigration_migrations_unobserved", Map.of("namespace", ns)))
          .contains(0.0);
    }

    // No series carries a resource's name: the tags stay namespace and engine.
    assertThat(scrape.samples()).filteredOn(s -> s.name().startsWith("dbmigration_"))
        .allSatisfy(s -> assertThat(s.labels()).doesNotContainKeys("name", "resource_name"));

    // JOSDK's reconcile metrics, per resource type, and the operator's own process.
    assertThat(scrape.series("operator_sdk_reconciliations_started_total"))
        .anySatisfy(s -> {
          assertThat(s.labels()).containsEntry("kind", "DatabaseMigration");
          assertThat(s.value()).isGreaterThanOrEqualTo(3.0);
        });
    assertThat(scrape.has("operator_sdk_controllers_execution_reconcile_seconds_count")).isTrue();
    assertThat(scrape.value("dbmigration_operator_leader", Map.of())).contains(1.0);
    assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();

    theChartsAlertsTheirTestsAndTheDashboardReadOnlyWhatThisScrapeHas(scrape);
    promtoolsLinterFindsNothingInTheOperatorsOwnSeries(scrape);
  }

  /**
   * {@code promtool check metrics}, Prometheus' own linter of the exposition format (names,
   * units, counter suffixes, help texts), on this scrape: nothing to say about a
   * {@code dbmigration_} series. (It may have words for the JVM's and JOSDK's, which are theirs.)
   */
  static void promtoolsLinterFindsNothingInTheOperatorsOwnSeries(PrometheusText scrape)
      throws IOException {
    java.util.Optional<GoTool> promtool = GoTool.ifBuilt("promtool");
    if (promtool.isEmpty()) {
      return;
    }
    Path file = Files.createTempFile("scrape", ".prom");
    try {
      Files.writeString(file, scrape.text());
      GoTool.Run lint = promtool.get().runWithInput(file.getParent(), file, "check", "metrics");
      assertThat(lint.output().lines().filter(l -> l.contains("dbmigration_")).toList())
          .as(lint.output()).isEmpty();
      assertThat(lint.output()).doesNotContain("error while linting");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * The chart's alert rules, promtool's tests of them and the Grafana dashboard name only series
   * this real scrape has (and Prometheus' own {@code up}); promtool's input series carry exactly
   * the labels the operator gives each series, plus those the scrape adds (job, instance, pod;
   * the target's namespace only where the operator sets none, as honorLabels does).
   */
  static void theChartsAlertsTheirTestsAndTheDashboardReadOnlyWhatThisScrapeHas(
      PrometheusText scrape) {
    Set<String> exported = scrape.samples().stream().map(PrometheusText.Sample::name)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> read = new TreeSet<>();
    AlertRules.expressions().forEach(e -> read.addAll(PromQl.metricNames(e)));
    GrafanaDashboard.panelQueries().forEach(q -> read.addAll(PromQl.metricNames(q)));
    GrafanaDashboard.variableQueries().forEach(q -> read.addAll(PromQl.variableMetricNames(q)));
    assertThat(read).contains("dbmigration_migrations_phase", "dbmigration_operator_leader", "up");
    read.remove(PROMETHEUS_OWN);
    assertThat(read).allSatisfy(name ->
        assertThat(exported).as("%s is read by an alert or the dashboard", name).contains(name));

    List<String> inputs = AlertRules.testInputSeries();
    assertThat(inputs).isNotEmpty();
    for (String series : inputs) {
      String name = PromQl.metricNames(series).iterator().next();
      if (name.equals(PROMETHEUS_OWN)) {
        continue;
      }
      assertThat(exported).as("promtool's input %s", series).contains(name);
      Set<String> exportedLabels = scrape.series(name).get(0).labels().keySet();
      Set<String> expected = new TreeSet<>(PromQl.selectorLabels(series).keySet());
      expected.removeAll(Set.of("job", "instance", "pod"));
      if (!exportedLabels.contains("namespace")) {
        expected.remove("namespace");
      }
      assertThat(exportedLabels).as("labels of promtool's input %s", series).isEqualTo(expected);
    }
  }

  /** The one series the rules read that Prometheus makes itself, per target. */
  static final String PROMETHEUS_OWN = "up";

  /**
   * A run whose Job outlives its activeDeadlineSeconds (this API server has no Job controller to
   * stop it) shows in dbmigration_migrations_past_deadline by time alone, with no event.
   */
  @Test
  void aRunPastItsJobsDeadlineIsCountedAtTheNextScrape() {
    String ns = cluster.newNamespace("metrics-deadline");
    cluster.createSeedSecret(ns, "app-creds");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), LEADER_IP);
    DatabaseMigration dbm = Fixtures.migration(ns, "app");
    dbm.getSpec().setJob(new JobSettings());
    dbm.getSpec().getJob().setActiveDeadlineSeconds(1L);
    cluster.apply(dbm);
    DatabaseMigrationStatus running = awaitPhase(ns, s -> s.getPhase() == Phase.Running);
    Instant deadline = Instant.parse(running.getStartTime()).plusSeconds(1);

    PrometheusText scrape = await("the run past its deadline in /metrics").atMost(TIMEOUT)
        .until(() -> PrometheusText.scrape(server.port()),
            s -> s.value("dbmigration_migrations_past_deadline", Map.of("namespace", ns))
                .orElse(0.0) == 1.0);

    assertThat(Instant.now()).isAfter(deadline);
    assertThat(scrape.value("dbmigration_migrations_phase",
        Map.of("namespace", ns, "phase", "Running"))).contains(1.0);
  }

  static String environment(String prefix, Engine engine) {
    String ns = cluster.newNamespace(prefix);
    cluster.createSeedSecret(ns, "app-creds");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), LEADER_IP);
    DatabaseMigration dbm = Fixtures.migration(ns, "app");
    dbm.getSpec().setEngine(engine);
    cluster.apply(dbm);
    return ns;
  }

  static Job awaitJob(String ns) {
    return await("the Job in " + ns).atMost(TIMEOUT)
        .until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1).get(0);
  }

  static DatabaseMigrationStatus awaitPhase(String ns, Predicate<DatabaseMigrationStatus> until) {
    return await("status in " + ns).atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = client.resources(DatabaseMigration.class).inNamespace(ns)
          .withName("app").get();
      return dbm == null ? null : dbm.getStatus();
    }, s -> s != null && until.test(s));
  }

  static Map<String, String> tags(String namespace, String engine) {
    return Map.of("namespace", namespace, "engine", engine);
  }

  static Map<String, String> with(Map<String, String> tags, String key, String value) {
    Map<String, String> all = new java.util.HashMap<>(tags);
    all.put(key, value);
    return all;
  }
}
