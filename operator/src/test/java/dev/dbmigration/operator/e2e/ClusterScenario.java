package dev.dbmigration.operator.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every scenario of the real-cluster tier starts from: the cluster, the operator the
 * scenarios share (installed on first use), and its migrations; each scenario's namespaces are
 * dropped after it, so its databases do not weigh on the next (one node, two cores).
 */
abstract class ClusterScenario {

  static RealCluster cluster;
  static OperatorInstall operator;
  static Migrations migrations;

  @BeforeAll
  static void sharedOperator() {
    cluster = RealCluster.get();
    operator = OperatorInstall.shared(cluster);
    migrations = new Migrations(cluster);
  }

  @AfterEach
  void dropNamespaces() {
    cluster.dropNamespaces();
  }
}
