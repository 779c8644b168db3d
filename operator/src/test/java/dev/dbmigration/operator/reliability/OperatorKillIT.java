package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.localrun.LocalJobRunner;
import dev.dbmigration.operator.reliability.RealDatabases.Environment;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator dies at each step of starting a run — right after the Job's creation, before the
 * status write, while the status write is in flight — and a fresh operator on a fresh client
 * takes over. The real alembic migrates the real database meanwhile; the end state is one Job,
 * a Succeeded status at the database's actual revision and one success Event.
 */
class OperatorKillIT {

  static final Duration TIMEOUT = Duration.ofSeconds(120);
  static KubernetesClient admin;
  static RealDatabases databases;

  @BeforeAll
  static void connect() {
    admin = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(admin);
    databases = new RealDatabases(admin);
  }

  @AfterAll
  static void close() {
    if (admin != null) {
      admin.close();
    }
  }

  @ParameterizedTest
  @EnumSource(CrashSwitch.Step.class)
  void aRestartedOperatorConvergesOnOneJobAndACorrectStatus(CrashSwitch.Step step)
      throws Exception {
    String label = step.name().toLowerCase(Locale.ROOT).replace('_', '-');
    Environment env = databases.environment("kill-" + label.substring(0, Math.min(12, label.length())));
    String ns = env.namespace();
    try (LocalJobRunner runner = databases.runner(ns)) {
      CrashSwitch crash = new CrashSwitch(step);
      KubernetesClient doomed = FaultyClients.withInterceptor(crash);
      OperatorHarness first = new OperatorHarness(doomed).start();
      databases.cluster().apply(databases.migration(env, "app", "head"));
      assertThat(crash.awaitCrash(TIMEOUT.toSeconds())).as("the operator reached " + step).isTrue();
      first.stop();
      doomed.close();
      DatabaseMigrationStatus leftBehind = databases.status(ns, "app");
      System.out.printf("kill %s: the dead operator left %d Job(s), status phase %s%n", step,
          databases.cluster().jobs(ns).size(), leftBehind == null ? null : leftBehind.getPhase());

      try (KubernetesClient fresh = KubeApiServerSupport.newClient();
           OperatorHarness second = new OperatorHarness(fresh).start()) {
        DatabaseMigrationStatus done = await("Succeeded after the restart").atMost(TIMEOUT)
            .until(() -> databases.status(ns, "app"),
                s -> s != null && s.getPhase() != null && s.getPhase().isFinal());
        List<Job> jobs = databases.cluster().jobs(ns);
        long succeededEvents = databases.events(ns, "app", "MigrationSucceeded");
        String observed = jobs.size() + " Job; " + done.getPhase() + " at "
            + (done.getRevision() == null ? null : done.getRevision().getCurrent())
            + "; database at " + databases.postgres().alembicRevision(env.db().database()) + "; "
            + succeededEvents + " success Event";
        String expected = "1 Job; Succeeded at " + RealDatabases.HEAD + "; database at "
            + RealDatabases.HEAD + "; 1 success Event";
        ScenarioTable.record("operator killed " + label.replace('-', ' '), expected, observed);
        assertThat(observed).isEqualTo(expected);
        assertThat(done.getJobName()).isEqualTo(jobs.get(0).getMetadata().getName());
        assertThat(done.getObservedGeneration()).isEqualTo(1L);
      }
    }
  }
}
