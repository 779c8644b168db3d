package dev.dbmigration.operator.runtime;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.controller.DatabaseMigrationReconciler;
import dev.dbmigration.operator.controller.MigrationMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator wired up: one controller for DatabaseMigrations on the given client, its metrics
 * in a Prometheus registry, and, when the settings ask for it, leader election on a Lease.
 */
public final class MigrationOperator implements AutoCloseable {

  private final Operator operator;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Leadership leadership;
  private final MigrationMetrics metrics;
  private final KubernetesClient client;
  private final LeaderElectionSettings election;
  private final String identity;
  private final InstalledCrdCheck crdCheck;

  public MigrationOperator(KubernetesClient client, OperatorSettings settings) {
    this(client, settings, o -> { });
  }

  /** The overrides let the mock-server tier switch off server-side apply, which it lacks. */
  public MigrationOperator(KubernetesClient client, OperatorSettings settings,
      Consumer<ConfigurationServiceOverrider> overrides) {
    this(client, settings, overrides, null);
  }

  /**
   * {@code onLostLeadership} runs after this operator stopped because another replica took its
   * Lease while it ran (null: nothing more; {@link Main} exits the process).
   */
  public MigrationOperator(KubernetesClient client, OperatorSettings settings,
      Consumer<ConfigurationServiceOverrider> overrides, Runnable onLostLeadership) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.client = client;
    this.crdCheck = new InstalledCrdCheck(client);
    this.election = settings.leaderElection();
    this.identity = election == null || election.identity() == null
        ? "operator-" + UUID.randomUUID() : election.identity();
    leadership = new Leadership(identity, registry, this::ownLease,
        () -> lostLeadership(onLostLeadership));
    operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withCacheSyncTimeout(Duration.ofMinutes(2))
          .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
          .withExecutorService(ReconcilerThreads.pool())
          // Per resource type, not per resource: a series per DatabaseMigration would grow
          // without bound in a cluster with a namespace per pull request.
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (election != null) {
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
            .aLeaderElectionConfiguration(election.leaseName())
            .withLeaseNamespace(election.namespace())
            .withIdentity(identity)
            .withLeaseDuration(election.leaseDuration())
            .withRenewDeadline(election.renewDeadline())
            .withRetryPeriod(election.retryPeriod())
            .withLeaderCallbacks(leadership.callbacks())
            // JOSDK would call System.exit itself, also when the operator is merely stopped
            // (tests, the shutdown hook); Leadership decides instead.
            .withExitOnStopLeading(false)
            .build());
      }
      overrides.accept(o);
    });
    metrics = new MigrationMetrics(registry);
    DatabaseMigrationReconciler reconciler = new DatabaseMigrationReconciler(settings, metrics);
    RegisteredController<DatabaseMigration> controller = operator.register(reconciler, c -> {
      if (settings.watchesAllNamespaces()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
      DatabaseMigrationReconciler.primaryStore(settings).ifPresent(c::withItemStore);
    });
    metrics.observeResources(cached(controller, operator), leadership::isLeading);
    if (election == null) {
      leadership.leadWithoutElection();
    }
  }

  public void start() {
    crdCheck.check();
    operator.start();
  }

  /**
   * True once every informer has synced and is watching, and the installed CRD is the one this
   * operator was built with (see {@link InstalledCrdCheck}). A standby replica is ready too: its
   * caches are warm, so it can take over as soon as it gets the Lease.
   */
  public boolean isReady() {
    return notReadyBecause().isEmpty();
  }

  /** Why the operator is not ready; empty when it is. */
  public Optional<String> notReadyBecause() {
    Optional<String> crd = crdCheck.problem();
    if (crd.isPresent()) {
      return crd;
    }
    if (!operator.getRuntimeInfo().isStarted()
        || !operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return Optional.of("the operator's informers have not synced");
    }
    return Optional.empty();
  }

  /** What the last look at the installed CRD found. */
  public InstalledCrdCheck.State installedCrd() {
    return crdCheck.state();
  }

  /** True while this operator reconciles: it holds the Lease, or runs without election. */
  public boolean isLeader() {
    return leadership.isLeading();
  }

  /** The metrics in Prometheus' text format, for {@link MetricsServer}. */
  public String scrape() {
    // The informers' stores exist only once the operator started; /metrics is served before.
    if (operator.getRuntimeInfo().isStarted()) {
      metrics.refresh();
    }
    metrics.refreshResources(Instant.now());
    return registry.scrape();
  }

  /**
   * The DatabaseMigrations in the controller's informer cache; none before the operator started
   * (the informer's store exists only from then on, and /metrics is served before).
   */
  private static Supplier<Stream<DatabaseMigration>> cached(
      RegisteredController<DatabaseMigration> registered, Operator operator) {
    if (!(registered instanceof Controller<DatabaseMigration> controller)) {
      throw new IllegalStateException("JOSDK registered " + registered.getClass()
          + ", not a Controller whose cache the resource gauges can read");
    }
    return () -> operator.getRuntimeInfo().isStarted()
        ? controller.getEventSourceManager().getControllerEventSource().list() : Stream.empty();
  }

  @Override
  public void close() {
    boolean wasLeading = leadership.isLeading();
    leadership.stopping();
    operator.stop();
    if (election != null && wasLeading) {
      LeaseRelease.release(client, election.namespace(), election.leaseName(), identity);
    }
  }

  private void ownLease() {
    if (election != null && election.podUid() != null) {
      LeaseRelease.ownBy(client, election.namespace(), election.leaseName(), identity,
          election.podUid());
    }
  }

  private void lostLeadership(Runnable then) {
    // Not on the elector's own thread: stopping the operator waits for that executor.
    Thread stop = new Thread(() -> {
      close();
      if (then != null) {
        then.run();
      }
    }, "lost-leadership");
    stop.start();
  }
}
