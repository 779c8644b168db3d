package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.Approval;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.PlanSettings;
import dev.dbmigration.operator.localrun.ImageMapping;
import dev.dbmigration.operator.localrun.LocalJobRunner;
import dev.dbmigration.operator.lock.LockHolder;
import dev.dbmigration.operator.lock.LockKey;
import dev.dbmigration.operator.reliability.RealDatabases.Environment;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The plan, its approval, several heads and the database lock on the real API server, with the
 * real alembic (through the local Job runner) on the real PostgreSQL: the plan Job renders the
 * SQL offline, the operator keeps it and waits for the digest; the lock sidecar waits for a
 * session that holds the key the README gives.
 */
class PlanAndLockIT {

  static final Duration TIMEOUT = Duration.ofSeconds(120);
  static final String HEADS_IMAGE = "registry.example/heads:1";

  @Test
  void aManualPlanWaitsForItsDigestAndTwoHeadsAreRefused() throws Exception {
    try (KubernetesClient admin = KubeApiServerSupport.newClient()) {
      KubeApiServerSupport.applyCrd(admin);
      RealDatabases databases = new RealDatabases(admin);
      Environment env = databases.environment("plan-it");
      Environment heads = databases.environment("heads-it");
      try (LocalJobRunner runner = runner(admin, env.namespace(), heads.namespace());
           OperatorHarness operator = new OperatorHarness(admin).start()) {
        DatabaseMigration dbm = databases.migration(env, "app", "head");
        PlanSettings plan = new PlanSettings();
        plan.setApproval(Approval.Manual);
        dbm.getSpec().setPlan(plan);
        databases.cluster().apply(dbm);
        DatabaseMigrationStatus awaiting = awaitStatus(databases, env.namespace(), "app",
            s -> s.getPhase() == Phase.AwaitingApproval);
        String text = admin.configMaps().inNamespace(env.namespace())
            .withName(awaiting.getPlan().getConfigMap()).get().getData().get("plan");
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(text.getBytes(StandardCharsets.UTF_8)));
        approve(admin, env.namespace(), "not-the-digest");
        DatabaseMigrationStatus stale = awaitStatus(databases, env.namespace(), "app",
            s -> s.getMessage().contains("not-the-digest"));
        long migrationJobs = admin.batch().v1().jobs().inNamespace(env.namespace())
            .withLabel("app.kubernetes.io/component", "migration").list().getItems().size();
        approve(admin, env.namespace(), awaiting.getPlan().getDigest());
        DatabaseMigrationStatus done = awaitStatus(databases, env.namespace(), "app",
            s -> s.getPhase().isFinal());

        DatabaseMigration twoHeads = databases.migration(heads, "app", "head");
        twoHeads.getSpec().setImage(HEADS_IMAGE);
        twoHeads.getSpec().setPlan(new PlanSettings());
        databases.cluster().apply(twoHeads);
        DatabaseMigrationStatus refused = awaitStatus(databases, heads.namespace(), "app",
            s -> s.getPhase().isFinal());
        // The plan is rendered offline: neither its ConfigMap nor the status nor an Event
        // carries the database's password.
        String shown = Serialization.asJson(admin.configMaps().inNamespace(env.namespace())
            .withName(awaiting.getPlan().getConfigMap()).get()) + Serialization.asJson(done)
            + Serialization.asJson(admin.v1().events().inNamespace(env.namespace()).list());
        assertThat(shown).doesNotContain(env.db().password());
        String observed = "AwaitingApproval with plan " + awaiting.getPlan().getRange()
            + ", sha256 of the ConfigMap = digest: " + digest.equals(awaiting.getPlan()
            .getDigest()) + ", SQL shown: " + text.contains("CREATE TABLE station")
            + "; a wrong digest: " + stale.getPhase() + ", migration Jobs " + migrationJobs
            + "; the digest: " + done.getPhase() + " at " + done.getRevision().getCurrent()
            + "; two heads: " + refused.getPhase() + " " + refused.getConditions().get(0)
            .getReason() + ", database at " + databases.postgres().alembicRevision(
                heads.db().database());
        ScenarioTable.record("plan: Manual approval by digest; two heads refused",
            "AwaitingApproval with plan base:head, sha256 of the ConfigMap = digest: true, SQL"
                + " shown: true; a wrong digest: AwaitingApproval, migration Jobs 0; the digest:"
                + " Succeeded at " + RealDatabases.HEAD + "; two heads: Failed MultipleHeads,"
                + " database at base", observed);
        assertThat(observed).isEqualTo("AwaitingApproval with plan base:head, sha256 of the"
            + " ConfigMap = digest: true, SQL shown: true; a wrong digest: AwaitingApproval,"
            + " migration Jobs 0; the digest: Succeeded at " + RealDatabases.HEAD + "; two heads:"
            + " Failed MultipleHeads, database at base");
      }
    }
  }

  @Test
  void aRunWaitsInItsLockSidecarForASessionHoldingTheKey() throws Exception {
    try (KubernetesClient admin = KubeApiServerSupport.newClient()) {
      KubeApiServerSupport.applyCrd(admin);
      RealDatabases databases = new RealDatabases(admin);
      Environment env = databases.environment("lock-it");
      long key = LockKey.of(env.db().database(), "alembic_version");
      try (LocalJobRunner runner = runner(admin, env.namespace());
           OperatorHarness operator = new OperatorHarness(admin).start();
           Connection holder = databases.postgres().connect(env.db())) {
        try (Statement s = holder.createStatement()) {
          s.execute("SELECT pg_advisory_lock(" + LockKey.SQL_EXPRESSION_ALEMBIC + ")");
        }
        databases.cluster().apply(databases.migration(env, "app", "head"));
        await("the lock sidecar waits").atMost(TIMEOUT).until(() -> waiting(holder, key) == 1);
        String whileHeld = databases.postgres().alembicRevision(env.db().database());
        holder.close();
        DatabaseMigrationStatus done = awaitStatus(databases, env.namespace(), "app",
            s -> s.getPhase().isFinal());
        String observed = "while a session holds the key: sidecar waiting, database at "
            + whileHeld + "; once it ends: " + done.getPhase() + " at "
            + done.getRevision().getCurrent();
        ScenarioTable.record("database lock: a run waits for a session holding the key",
            "while a session holds the key: sidecar waiting, database at base; once it ends:"
                + " Succeeded at " + RealDatabases.HEAD, observed);
        assertThat(observed).isEqualTo("while a session holds the key: sidecar waiting,"
            + " database at base; once it ends: Succeeded at " + RealDatabases.HEAD);
      }
    }
  }

  private static int waiting(Connection c, long key) throws Exception {
    try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_locks l"
        + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
        + " AND NOT l.granted AND a.application_name = 'dbmigration-lock'"
        + " AND l.classid = ?::bigint::oid AND l.objid = ?::bigint::oid")) {
      s.setLong(1, key >>> 32);
      s.setLong(2, key & 0xffffffffL);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  // The plan's program runs as python3: Debian's, which imports the alembic the tests use.
  private static LocalJobRunner runner(KubernetesClient client, String... namespaces) {
    return new LocalJobRunner(client, ImageMapping.of(Map.of(
            Fixtures.IMAGE, Path.of("examples/alembic").toAbsolutePath(),
            HEADS_IMAGE, Path.of("operator/src/test/resources/alembic-heads").toAbsolutePath()))
        .withEntrypoint(OperatorSettings.DEFAULT_OPERATOR_IMAGE, LockHolder.entrypointOfThisJvm()),
        Map.of("PYTHONDONTWRITEBYTECODE", "1", "PATH", "/usr/bin:/bin"), Set.of(namespaces))
        .start();
  }

  private static void approve(KubernetesClient admin, String ns, String digest) {
    admin.resources(DatabaseMigration.class).inNamespace(ns).withName("app")
        .edit(d -> {
          Map<String, String> annotations = new java.util.HashMap<>(
              d.getMetadata().getAnnotations() == null ? Map.of()
                  : d.getMetadata().getAnnotations());
          annotations.put(DatabaseMigration.APPROVE_ANNOTATION, digest);
          d.getMetadata().setAnnotations(annotations);
          return d;
        });
  }

  private static DatabaseMigrationStatus awaitStatus(RealDatabases databases, String ns, String name,
      java.util.function.Predicate<DatabaseMigrationStatus> until) {
    return org.awaitility.Awaitility.await(ns + "/" + name).atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> databases.status(ns, name), s -> s != null && s.getPhase() != null
            && until.test(s));
  }
}
