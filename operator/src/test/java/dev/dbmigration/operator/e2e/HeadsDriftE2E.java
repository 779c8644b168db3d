package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.PlanSettings;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.Condition;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Several heads caught before a deploy breaks, and drift reported, in real pods with the real
 * alembic: an upgrade to head of a script directory with two heads is refused by its plan with
 * nothing applied; alembic check after a run reports a column added behind the engine's back
 * as SchemaDrift, and the run itself stays Succeeded.
 */
@Order(41)
class HeadsDriftE2E extends ClusterScenario {

  @Test
  void anUpgradeToHeadWithTwoHeadsIsRefusedBeforeItTouchesTheDatabase() throws Exception {
    String ns = cluster.newNamespace("heads");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-heads");
    DatabaseMigration dbm = Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/heads");
    dbm.getSpec().setPlan(new PlanSettings());
    migrations.create(dbm);

    DatabaseMigrationStatus refused = migrations.awaitFinished(ns, "app", 1L);
    String observed = refused.getPhase() + " " + Migrations.readyReason(refused)
        + ", names both heads: " + (refused.getMessage().contains("d00d00000002")
        && refused.getMessage().contains("d00d00000003")) + ", suggests heads and a merge: "
        + (refused.getMessage().contains("target heads")
        && refused.getMessage().contains("merge")) + ", migration Jobs "
        + migrations.jobs(ns, "migration").size() + ", database at " + db.revision();
    ScenarioTable.E2E.row("two heads: upgrade head refused by the plan, nothing applied",
        "Failed MultipleHeads, names both heads: true, suggests heads and a merge: true,"
            + " migration Jobs 0, database at base (" + refused.getMessage() + ")",
        observed + " (" + refused.getMessage() + ")");
    assertThat(observed).isEqualTo("Failed MultipleHeads, names both heads: true, suggests"
        + " heads and a merge: true, migration Jobs 0, database at base");
  }

  @Test
  void driftBehindTheEnginesBackIsReportedAndTheRunStaysSucceeded() throws Exception {
    String ns = cluster.newNamespace("drift");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-drift");
    DatabaseMigration dbm = Migrations.of(ns, "app", db, Migrations.DRIFT_IMAGE, "/app/drift");
    dbm.getSpec().setDriftCheck(true);
    migrations.create(dbm);

    DatabaseMigrationStatus clean = migrations.await(ns, "app", "checked, no drift",
        Migrations.RUN, s -> s.getPhase() == Phase.Succeeded && drift(s).isPresent()
            && !"Unknown".equals(drift(s).get().getStatus()));
    Condition before = drift(clean).orElseThrow();

    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE gauge ADD COLUMN extra integer");
    }
    long rerun = migrations.edit(ns, "app", s -> s.setRerun("check-again"));
    DatabaseMigrationStatus drifted = migrations.await(ns, "app", "drift reported",
        Migrations.RUN, s -> s.getObservedGeneration() == rerun
            && s.getPhase() == Phase.Succeeded && drift(s).isPresent()
            && "True".equals(drift(s).get().getStatus()));
    Condition after = drift(drifted).orElseThrow();
    String observed = "first run: " + clean.getPhase() + ", SchemaDrift " + before.getStatus()
        + " " + before.getReason() + "; column added behind alembic's back, rerun: "
        + drifted.getPhase() + " " + Migrations.readyReason(drifted) + ", SchemaDrift "
        + after.getStatus() + " " + after.getReason() + ", names the column: "
        + after.getMessage().contains("extra");
    ScenarioTable.E2E.row("drift: alembic check after the run (SchemaDrift)",
        "first run: Succeeded, SchemaDrift False NoDrift; column added behind alembic's back,"
            + " rerun: Succeeded MigrationSucceeded, SchemaDrift True DriftDetected, names the"
            + " column: true (" + after.getMessage() + ")",
        observed + " (" + after.getMessage() + ")");
    assertThat(observed).isEqualTo("first run: Succeeded, SchemaDrift False NoDrift; column"
        + " added behind alembic's back, rerun: Succeeded MigrationSucceeded, SchemaDrift True"
        + " DriftDetected, names the column: true");
  }

  private static Optional<Condition> drift(DatabaseMigrationStatus status) {
    return status.getConditions().stream()
        .filter(c -> ConditionTypes.SCHEMA_DRIFT.equals(c.getType())).findFirst();
  }
}
