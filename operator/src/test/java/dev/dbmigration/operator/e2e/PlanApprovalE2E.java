package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.Approval;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.PlanSettings;
import dev.dbmigration.operator.testing.ScenarioTable;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A reviewed plan before apply, on a real Patroni cluster with the real alembic: a Manual
 * approval waits with the plan's offline SQL kept in a ConfigMap; a new image makes a new plan
 * and voids the approval of the old one (the stale digest runs nothing); the current digest
 * runs exactly the revisions the plan showed.
 */
@Order(40)
class PlanApprovalE2E extends ClusterScenario {

  private static final Pattern PLANNED = Pattern.compile(
      "(?m)^-- Running upgrade (.*? -> [0-9a-f]+)");
  private static final Pattern APPLIED = Pattern.compile(
      "(?m)\\] Running upgrade (.*? -> [0-9a-f]+)");

  @Test
  void aManualApprovalRunsExactlyThePlanAndANewImageVoidsTheOldApproval() throws Exception {
    String ns = cluster.newNamespace("plan");
    ClusterDatabase db = ClusterDatabase.patroni(cluster, ns, "patroni-plan");
    DatabaseMigration dbm = Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/bootstrap");
    PlanSettings plan = new PlanSettings();
    plan.setApproval(Approval.Manual);
    dbm.getSpec().setPlan(plan);
    migrations.create(dbm);

    DatabaseMigrationStatus first = migrations.await(ns, "app", "the first plan awaits approval",
        Migrations.RUN, s -> s.getPhase() == Phase.AwaitingApproval);
    String firstDigest = first.getPlan().getDigest();
    String firstSql = configMapPlan(ns, first.getPlan().getConfigMap());
    RealCluster.Result waitWhileAwaiting = cluster.kubectlResult("wait",
        "--for=condition=Ready", "dbm/app", "-n", ns, "--timeout=3s");

    long second = migrations.edit(ns, "app", s -> s.setImage(Migrations.BUILD_2));
    DatabaseMigrationStatus replanned = migrations.await(ns, "app", "a new plan for build-2",
        Migrations.RUN, s -> s.getObservedGeneration() == second
            && s.getPhase() == Phase.AwaitingApproval && s.getPlan() != null
            && s.getPlan().getDigest() != null && !firstDigest.equals(s.getPlan().getDigest()));
    String secondDigest = replanned.getPlan().getDigest();
    String secondSql = configMapPlan(ns, replanned.getPlan().getConfigMap());

    cluster.kubectl("annotate", "dbm/app", "-n", ns, "dbmigration.dev/approve=" + firstDigest,
        "--overwrite");
    DatabaseMigrationStatus voided = migrations.await(ns, "app", "the stale approval named",
        Migrations.RUN, s -> s.getMessage() != null && s.getMessage().contains(firstDigest));
    int migrationJobsAfterStale = migrations.jobs(ns, "migration").size();
    String revisionAfterStale = db.revision();

    cluster.kubectl("annotate", "dbm/app", "-n", ns, "dbmigration.dev/approve=" + secondDigest,
        "--overwrite");
    DatabaseMigrationStatus done = migrations.awaitFinished(ns, "app", second);
    String log = cluster.kubectl("logs", "-n", ns, "job/" + done.getJobName(), "-c", "migrate");
    List<String> planned = all(PLANNED, secondSql);
    List<String> applied = all(APPLIED, log);
    String wide = cluster.kubectl("get", "dbm", "app", "-n", ns, "-o", "wide");

    String observed = "first plan " + first.getPlan().getRange() + " of "
        + first.getPlan().getImage() + " AwaitingApproval, kubectl wait exit "
        + (waitWhileAwaiting.exitCode() == 0 ? "0" : "non-zero") + "; new image: new plan "
        + replanned.getPlan().getRange() + " of " + replanned.getPlan().getImage()
        + " with another digest: " + !firstDigest.equals(secondDigest) + ", revision "
        + "9a0b1c2d3e4f planned: " + secondSql.contains("-> 9a0b1c2d3e4f") + "; stale approval: "
        + voided.getPhase() + ", migration Jobs " + migrationJobsAfterStale + ", database at "
        + revisionAfterStale + "; current approval: " + done.getPhase() + " at "
        + done.getRevision().getCurrent() + ", database at " + db.revision()
        + ", applied = planned: " + applied.equals(planned) + " (" + applied.size()
        + " revisions), PLAN column shows the digest: " + wide.contains(secondDigest);
    ScenarioTable.E2E.row("plan, Manual approval, a new image voids the approval (Patroni)",
        "first plan base:head of " + Migrations.BUILD_1 + " AwaitingApproval, kubectl wait exit"
            + " non-zero; new image: new plan base:head of " + Migrations.BUILD_2 + " with"
            + " another digest: true, revision 9a0b1c2d3e4f planned: true; stale approval:"
            + " AwaitingApproval, migration Jobs 0, database at base; current approval:"
            + " Succeeded at 9a0b1c2d3e4f, database at 9a0b1c2d3e4f, applied = planned: true ("
            + planned.size() + " revisions), PLAN column shows the digest: true",
        observed);
    assertThat(firstSql).contains("CREATE TABLE station", "-- Running upgrade  -> 1a2b3c4d5e6f");
    assertThat(planned).hasSize(9);
    assertThat(observed).isEqualTo("first plan base:head of " + Migrations.BUILD_1
        + " AwaitingApproval, kubectl wait exit non-zero; new image: new plan base:head of "
        + Migrations.BUILD_2 + " with another digest: true, revision 9a0b1c2d3e4f planned:"
        + " true; stale approval: AwaitingApproval, migration Jobs 0, database at base; current"
        + " approval: Succeeded at 9a0b1c2d3e4f, database at 9a0b1c2d3e4f, applied = planned:"
        + " true (9 revisions), PLAN column shows the digest: true");
  }

  private static String configMapPlan(String ns, String name) {
    return cluster.client().configMaps().inNamespace(ns).withName(name).get().getData()
        .get("plan");
  }

  // Alembic names each step "<from> -> <to>" in its log line and in the SQL's comment alike.
  private static List<String> all(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    List<String> found = new java.util.ArrayList<>();
    while (m.find()) {
      found.add(m.group(1).strip());
    }
    return found;
  }
}
