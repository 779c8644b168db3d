package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away under a running operator — every connection, watches included, is cut
 * and new ones are turned away — and comes back. The operator, never restarted, picks up what
 * happened while it was blind and what is created afterwards.
 *
 * <p>The shared kube-apiserver is not restarted itself: kube-api-test wipes etcd and picks a new
 * port when it stops. A TCP proxy in front of it gives the operator the same experience.
 */
class ApiServerRestartIT {

  static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void theOperatorReconnectsAndConvergesWithoutARestart() throws Exception {
    try (KubernetesClient admin = KubeApiServerSupport.newClient()) {
      KubeApiServerSupport.applyCrd(admin);
      TestCluster cluster = new TestCluster(admin);
      String ns = cluster.newNamespace("apiserver-outage");
      // The leaders point where no database listens: this scenario is about the API server, so
      // the operator runs the Jobs without checking the database (DATABASE_CHECK=best-effort).
      for (String name : new String[] {"before", "during", "after"}) {
        cluster.createSeedSecret(ns, name + "-creds", ns + "-" + name);
        cluster.createReadyPod(ns, "patroni-" + name + "-0",
            Map.of("cluster-name", "patroni-" + name, "role", "master"), "127.0.0.1");
      }
      URI server = URI.create(admin.getConfiguration().getMasterUrl());
      try (TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort());
           KubernetesClient viaProxy = FaultyClients.through(proxy.port());
           OperatorHarness operator = OperatorHarness.withoutDatabase(viaProxy).start()) {
        cluster.apply(Fixtures.migration(ns, "before"));
        String beforeJob = awaitPhase(admin, ns, "before", Phase.Running).getJobName();

        proxy.cut();
        // While the operator is blind: its Job finishes and a new resource appears.
        cluster.completeJob(ns, beforeJob);
        cluster.apply(Fixtures.migration(ns, "during"));
        await("the operator tried to reconnect and was turned away").atMost(TIMEOUT)
            .until(() -> proxy.turnedAway() >= 3);
        int attempts = proxy.turnedAway();
        proxy.resume();

        DatabaseMigrationStatus during = awaitPhase(admin, ns, "during", Phase.Running);
        cluster.apply(Fixtures.migration(ns, "after"));
        DatabaseMigrationStatus after = awaitPhase(admin, ns, "after", Phase.Running);
        cluster.completeJob(ns, during.getJobName());
        cluster.completeJob(ns, after.getJobName());

        String observed = "before " + awaitPhase(admin, ns, "before", Phase.Succeeded).getPhase()
            + ", during " + awaitPhase(admin, ns, "during", Phase.Succeeded).getPhase()
            + ", after " + awaitPhase(admin, ns, "after", Phase.Succeeded).getPhase()
            + "; " + cluster.jobs(ns).size() + " Jobs";
        String expected = "before Succeeded, during Succeeded, after Succeeded; 3 Jobs";
        ScenarioTable.record("API server unreachable (connections cut, " + attempts
            + " reconnects turned away), operator not restarted", expected, observed);
        assertThat(observed).isEqualTo(expected);
      }
    }
  }

  static DatabaseMigrationStatus awaitPhase(KubernetesClient client, String ns, String name,
      Phase phase) {
    return await(name + " " + phase).atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = client.resources(DatabaseMigration.class).inNamespace(ns)
          .withName(name).get();
      return dbm == null ? null : dbm.getStatus();
    }, s -> s != null && s.getPhase() == phase);
  }
}
