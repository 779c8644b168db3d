package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.testing.ScenarioTable;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The tier's last scenario: helm uninstall takes the operator away and leaves nothing of it in
 * its namespace, its leader-election Lease included (the stopping replica deletes it).
 */
@Order(99)
class UninstallE2E {

  @Test
  void helmUninstallLeavesNoOperatorAndNoLease() {
    RealCluster cluster = RealCluster.get();
    OperatorInstall operator = OperatorInstall.shared(cluster);
    String namespace = operator.namespace();
    await("a Lease held while running").atMost(Duration.ofMinutes(1))
        .until(() -> OperatorHaE2E.holder() != null && !OperatorHaE2E.holder().isEmpty());

    OperatorInstall.uninstallShared();
    await("the operator's pods gone").atMost(Duration.ofMinutes(2))
        .until(() -> cluster.client().pods().inNamespace(namespace).list().getItems().isEmpty());
    String observed = cluster.client().apps().deployments().inNamespace(namespace).list()
        .getItems().size() + " Deployments, " + cluster.client().leases().inNamespace(namespace)
        .list().getItems().size() + " Leases";
    ScenarioTable.E2E.row("helm uninstall", "0 Deployments, 0 Leases", observed);
    assertThat(observed).isEqualTo("0 Deployments, 0 Leases");
  }
}
