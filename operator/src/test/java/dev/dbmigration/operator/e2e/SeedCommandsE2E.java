package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every command the seed's users type in a pod terminal, as one DatabaseMigration edited from
 * one to the next, each run as a Job in a real pod of the app's image against a PostgreSQL pod
 * labelled as the Patroni leader: after each, the revision in status is the one alembic_version
 * holds, kubectl logs shows alembic's own words, and kubectl get dbm shows the columns.
 */
@Order(2)
class SeedCommandsE2E extends ClusterScenario {

  @Test
  void everySeedCommandRunsInARealPodAndLeavesTheDatabaseWhereTheStatusSays() throws Exception {
    String ns = cluster.newNamespace("wps-pr-seed");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-wps-pr-seed");
    migrations.create(Migrations.of(ns, "wps-api", db, Migrations.BUILD_1, "/app/bootstrap"));

    List<String> observed = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    step(ns, db, 1L, s -> { }, List.of("alembic", "upgrade", "head"), Migrations.HEAD,
        "Running upgrade", expected, observed);
    step(ns, db, 0L, s -> {
      s.setAction(Action.DOWNGRADE);
      s.setAllowDowngrade(true);
      s.setTarget("4d5e6f708192");
    }, List.of("alembic", "downgrade", "4d5e6f708192"), "4d5e6f708192", "Running downgrade",
        expected, observed);
    step(ns, db, 0L, s -> s.setTarget("-1"), List.of("alembic", "downgrade", "-1"),
        "3c4d5e6f7081", "Running downgrade", expected, observed);
    step(ns, db, 0L, s -> s.setTarget("base"), List.of("alembic", "downgrade", "base"), "base",
        "Running downgrade", expected, observed);
    step(ns, db, 0L, s -> {
      s.setAction(Action.UPGRADE);
      s.setAllowDowngrade(false);
      s.setTarget("2b3c4d5e6f70");
    }, List.of("alembic", "upgrade", "2b3c4d5e6f70"), "2b3c4d5e6f70", "Running upgrade",
        expected, observed);
    step(ns, db, 0L, s -> s.setTarget("+2"), List.of("alembic", "upgrade", "+2"), "4d5e6f708192",
        "Running upgrade", expected, observed);
    step(ns, db, 0L, s -> {
      s.setAction(Action.HISTORY);
      s.setTarget("head");
    }, List.of("alembic", "history", "--verbose"), "4d5e6f708192", "Rev: 8192a3b4c5d6 (head)",
        expected, observed);

    String table = cluster.kubectl("get", "databasemigrations", "-n", ns);
    System.out.println("kubectl get databasemigrations -n " + ns + "\n" + table);
    ScenarioTable.E2E.row("every seed command as a Job in a real pod", String.join("; ", expected),
        String.join("; ", observed));
    assertThat(observed).containsExactlyElementsOf(expected);
    assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "AGE", "ACTION", "TARGET", "PHASE", "REVISION", "LEADER");
    assertThat(table).contains("history", "Succeeded", "patroni-wps-pr-seed-0");
    DatabaseMigrationStatus history = migrations.status(ns, "wps-api");
    assertThat(history.getOutput()).contains("Rev: 8192a3b4c5d6 (head)", "Rev: 1a2b3c4d5e6f");
  }

  /**
   * One command: the spec edited (generation 1 is the resource as made), its run awaited, and
   * what users see compared with the database.
   */
  private static void step(String ns, ClusterDatabase db, long first,
      Consumer<DatabaseMigrationSpec> change, List<String> command, String revision,
      String logged, List<String> expected, List<String> observed) throws Exception {
    long generation = first == 1L ? 1L : migrations.edit(ns, "wps-api", change);
    DatabaseMigrationStatus status = migrations.awaitFinished(ns, "wps-api", generation);
    Job job = cluster.client().batch().v1().jobs().inNamespace(ns)
        .withName(status.getJobName()).get();
    List<Pod> pods = migrations.podsOf(ns, status.getJobName());
    String log = cluster.kubectl("logs", "-n", ns, "job/" + status.getJobName());
    String line = String.join(" ", command);
    expected.add(line + ": Succeeded at " + revision + ", database " + revision + ", 1 pod of "
        + Migrations.BUILD_1 + ", log says " + logged);
    observed.add(String.join(" ", job.getSpec().getTemplate().getSpec().getContainers().get(0)
        .getCommand()) + ": " + status.getPhase() + " at " + (status.getRevision() == null
        ? null : status.getRevision().getCurrent()) + ", database " + db.revision() + ", "
        + pods.size() + " pod of " + pods.get(0).getSpec().getContainers().get(0).getImage()
        + (log.contains(logged) ? ", log says " + logged : ", log lacks " + logged + ":\n" + log));
    assertThat(status.getPhase()).as(status.getMessage()).isEqualTo(Phase.Succeeded);
  }
}
