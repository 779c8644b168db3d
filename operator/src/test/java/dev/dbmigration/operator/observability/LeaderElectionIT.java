package dev.dbmigration.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.runtime.LeaderElectionSettings;
import dev.dbmigration.operator.runtime.MigrationOperator;
import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.PrometheusText;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the real operator against one real kube-apiserver, sharing one Lease: only the
 * holder makes Jobs, posts Events and reconciles at all; stopped, the other takes over. Each replica talks to the
 * API server with its own user agent, so the server's managedFields record which one wrote what.
 */
class LeaderElectionIT {

  static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** A stopped leader keeps its Lease until it expires (15 s), then a standby retries (2 s). */
  static final Duration TAKEOVER = Duration.ofSeconds(90);
  static final String LEADER_IP = "127.0.0.44";

  KubernetesClient admin;
  TestCluster cluster;
  final Replica a = new Replica("operator-a");
  final Replica b = new Replica("operator-b");

  @AfterEach
  void stop() {
    a.close();
    b.close();
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void onlyTheLeaseHolderActsAndTheOtherTakesOverWhenItStops() {
    admin = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(admin);
    cluster = new TestCluster(admin);
    String leaseNamespace = cluster.newNamespace("dmo-lease");
    String leaseName = "dmo-" + UUID.randomUUID().toString().substring(0, 8);
    a.start(leaseName, leaseNamespace);
    b.start(leaseName, leaseNamespace);

    String holder = await("one replica holds the Lease").atMost(TIMEOUT)
        .until(() -> holder(leaseNamespace, leaseName), h -> h != null);
    Replica leader = holder.equals(a.identity) ? a : b;
    Replica standby = leader == a ? b : a;
    await("the holder knows it leads").atMost(TIMEOUT).until(leader::leads);
    assertThat(standby.leads()).isFalse();

    String first = environment("le-first");
    Job job = await("the Job in " + first).atMost(TIMEOUT)
        .until(() -> cluster.jobs(first), jobs -> jobs.size() == 1).get(0);
    assertThat(managers(job)).as("who created the Job").containsExactly(leader.identity);
    cluster.completeJob(first, job.getMetadata().getName());
    awaitPhase(first, Phase.Succeeded);
    assertThat(eventPosters(first)).as("who posted the Events").containsExactly(leader.identity);
    assertThat(standby.reconciles()).as("the standby's reconciliations").isZero();
    assertThat(leader.reconciles()).isPositive();
    assertThat(PrometheusText.parse("", standby.harness.operator().scrape())
        .value("dbmigration_operator_leader", Map.of())).contains(0.0);

    leader.close();
    await("the standby takes the Lease").atMost(TAKEOVER)
        .until(() -> holder(leaseNamespace, leaseName), standby.identity::equals);
    await("the new holder leads").atMost(TIMEOUT).until(standby::leads);

    String second = environment("le-second");
    Job next = await("the Job in " + second).atMost(TIMEOUT)
        .until(() -> cluster.jobs(second), jobs -> jobs.size() == 1).get(0);
    assertThat(managers(next)).containsExactly(standby.identity);
    cluster.completeJob(second, next.getMetadata().getName());
    awaitPhase(second, Phase.Succeeded);
    assertThat(eventPosters(second)).containsExactly(standby.identity);
  }

  /**
   * Someone else holds the Lease now (a replica that paused past the lease and was replaced):
   * the former holder cannot renew, stops acting within the renew deadline, and runs its
   * lost-leadership action (the process exits in {@link dev.dbmigration.operator.Main}).
   */
  @Test
  void aReplicaThatCannotRenewItsLeaseStopsActing() {
    admin = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(admin);
    cluster = new TestCluster(admin);
    String leaseNamespace = cluster.newNamespace("dmo-lease");
    LeaderElectionSettings election = LeaderElectionSettings.of(
        "dmo-" + UUID.randomUUID().toString().substring(0, 8), leaseNamespace, "operator-c");
    CountDownLatch lost = new CountDownLatch(1);
    try (MigrationOperator operator = new MigrationOperator(admin,
        kubernetesOnly().withLeaderElection(election), o -> { },
        lost::countDown)) {
      operator.start();
      await("operator-c leads").atMost(TIMEOUT).until(operator::isLeader);

      // The holder renews every 2 s; an edit that meets a renewal conflicts and is retried.
      await("the Lease handed to another holder").atMost(TIMEOUT)
          .ignoreException(KubernetesClientException.class).until(() -> {
            admin.leases().inNamespace(leaseNamespace).withName(election.leaseName())
                .edit(lease -> {
                  lease.getSpec().setHolderIdentity("intruder");
                  lease.getSpec().setLeaseDurationSeconds(300);
                  lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
                  return lease;
                });
            return true;
          });

      await("operator-c gives up").atMost(TIMEOUT).until(() -> lost.getCount() == 0);
      assertThat(operator.isLeader()).isFalse();
      String ns = environment("le-lost");
      await("no Job made by a replica without the Lease").during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(15)).until(() -> cluster.jobs(ns).isEmpty());
      assertThat(holder(leaseNamespace, election.leaseName())).isEqualTo("intruder");
    }
  }

  String environment(String prefix) {
    String ns = cluster.newNamespace(prefix);
    cluster.createSeedSecret(ns, "app-creds");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), LEADER_IP);
    cluster.apply(Fixtures.migration(ns, "app"));
    return ns;
  }

  void awaitPhase(String ns, Phase phase) {
    await(ns + " " + phase).atMost(TIMEOUT).until(() -> dbm(ns).getStatus(),
        s -> s != null && s.getPhase() == phase);
  }

  DatabaseMigration dbm(String ns) {
    return admin.resources(DatabaseMigration.class).inNamespace(ns).withName("app").get();
  }

  String holder(String namespace, String name) {
    Lease lease = admin.leases().inNamespace(namespace).withName(name).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The field managers of an object: the user agents of whoever created or updated it. */
  static List<String> managers(HasMetadata object) {
    return object.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager)
        .distinct().toList();
  }

  /**
   * Who posted the Events on the resource (its run's end: a run's start has no Event of its own,
   * the status says it).
   */
  List<String> eventPosters(String ns) {
    List<Event> events = await("the Succeeded Event in " + ns).atMost(TIMEOUT)
        .until(() -> admin.v1().events().inNamespace(ns).list().getItems(),
            list -> list.stream().map(Event::getReason).toList()
                .contains("MigrationSucceeded"));
    return events.stream().flatMap(e -> managers(e).stream()).distinct().toList();
  }

  /** One operator replica: its own client (user agent = identity) and its own metrics. */
  static final class Replica implements AutoCloseable {
    final String identity;
    KubernetesClient client;
    OperatorHarness harness;

    Replica(String identity) {
      this.identity = identity;
    }

    void start(String leaseName, String leaseNamespace) {
      Config config = Config.fromKubeconfig(KubeApiServerSupport.kubeConfigYaml());
      config.setUserAgent(identity);
      client = new KubernetesClientBuilder().withConfig(config).build();
      harness = new OperatorHarness(client, kubernetesOnly()
          .withLeaderElection(LeaderElectionSettings.of(leaseName, leaseNamespace, identity)))
          .start();
    }

    boolean leads() {
      return harness != null && harness.operator() != null && harness.operator().isLeader();
    }

    double reconciles() {
      return PrometheusText.parse("", harness.operator().scrape())
          .series("operator_sdk_reconciliations_started_total").stream()
          .mapToDouble(PrometheusText.Sample::value).sum();
    }

    @Override
    public void close() {
      if (harness != null) {
        harness.close();
        harness = null;
      }
      if (client != null) {
        client.close();
        client = null;
      }
    }
  }

  /** Leader pods here point where no database listens: only the Kubernetes side is at stake. */
  static OperatorSettings kubernetesOnly() {
    return new OperatorSettings(Set.of(), 0).withDatabaseCheck(DatabaseCheckMode.BEST_EFFORT);
  }
}
