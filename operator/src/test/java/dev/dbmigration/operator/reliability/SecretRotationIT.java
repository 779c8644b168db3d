package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.localrun.LocalJobRunner;
import dev.dbmigration.operator.reliability.RealDatabases.Environment;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The database password changes between runs (the role's password in the real PostgreSQL, then
 * the Secret). The next run — a new generation, then a rerun of the same one — logs in with the
 * new password: the Job reads it by reference and the operator caches nothing.
 */
class SecretRotationIT {

  static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void theNextRunAfterARotationUsesTheNewPassword() throws Exception {
    try (KubernetesClient admin = KubeApiServerSupport.newClient()) {
      KubeApiServerSupport.applyCrd(admin);
      RealDatabases databases = new RealDatabases(admin);
      Environment env = databases.environment("rotation");
      String ns = env.namespace();
      List<String> passwords = new ArrayList<>(List.of(env.db().password()));
      List<String> runs = new ArrayList<>();
      try (LocalJobRunner runner = databases.runner(ns);
           OperatorHarness operator = new OperatorHarness(admin).start()) {
        databases.cluster().apply(databases.migration(env, "app", "3c4d5e6f7081"));
        runs.add(describe(awaitRun(databases, ns, 1, null)));

        passwords.add(rotate(databases, admin, env));
        edit(admin, ns, d -> d.getSpec().setTarget("head"));
        runs.add(describe(awaitRun(databases, ns, 2, null)));

        passwords.add(rotate(databases, admin, env));
        edit(admin, ns, d -> {
          d.getMetadata().setAnnotations(new HashMap<>(d.getMetadata().getAnnotations() == null
              ? java.util.Map.of() : d.getMetadata().getAnnotations()));
          d.getMetadata().getAnnotations().put(DatabaseMigration.RERUN_ANNOTATION, "after-rotation");
        });
        runs.add(describe(awaitRun(databases, ns, 2, "after-rotation")));

        List<Job> jobs = databases.cluster().jobs(ns);
        boolean byReferenceOnly = jobs.stream().allMatch(SecretRotationIT::passwordByReference);
        String everything = Serialization.asYaml(jobs)
            + Serialization.asYaml(databases.status(ns, "app"))
            + Serialization.asYaml(admin.v1().events().inNamespace(ns).list());
        boolean leaked = passwords.stream().anyMatch(everything::contains);
        String observed = String.join(", ", runs) + "; " + jobs.size() + " Jobs; database at "
            + databases.postgres().alembicRevision(env.db().database()) + "; password "
            + (byReferenceOnly ? "by secretKeyRef only" : "as a value") + (leaked ? ", LEAKED" : "");
        String expected = "Succeeded at 3c4d5e6f7081, Succeeded at " + RealDatabases.HEAD
            + ", Succeeded at " + RealDatabases.HEAD + "; 3 Jobs; database at "
            + RealDatabases.HEAD + "; password by secretKeyRef only";
        ScenarioTable.record("secret rotated between runs (real PostgreSQL)", expected, observed);
        assertThat(observed).isEqualTo(expected);
      }
    }
  }

  /** A new password for the role in PostgreSQL, then in the Secret; the old one stops working. */
  static String rotate(RealDatabases databases, KubernetesClient admin, Environment env)
      throws Exception {
    String password = "rotated-" + UUID.randomUUID();
    try (Connection c = databases.postgres().connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("ALTER ROLE " + env.db().username() + " PASSWORD '" + password + "'");
    }
    admin.secrets().inNamespace(env.namespace()).withName("app-creds").edit(secret -> {
      Secret changed = new io.fabric8.kubernetes.api.model.SecretBuilder(secret).build();
      changed.setData(new HashMap<>(secret.getData()));
      changed.getData().put("app-db-password", java.util.Base64.getEncoder()
          .encodeToString(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return changed;
    });
    return password;
  }

  static void edit(KubernetesClient admin, String ns, Consumer<DatabaseMigration> change) {
    admin.resources(DatabaseMigration.class).inNamespace(ns).withName("app").edit(d -> {
      change.accept(d);
      return d;
    });
  }

  static DatabaseMigrationStatus awaitRun(RealDatabases databases, String ns, long generation,
      String rerun) {
    return await("run of generation " + generation + " rerun " + rerun).atMost(TIMEOUT)
        .until(() -> databases.status(ns, "app"), s -> s != null && s.getPhase() != null
            && s.getPhase().isFinal() && s.getObservedGeneration() != null
            && s.getObservedGeneration() == generation
            && java.util.Objects.equals(s.getRerun(), rerun));
  }

  static String describe(DatabaseMigrationStatus status) {
    return status.getPhase() + " at "
        + (status.getRevision() == null ? null : status.getRevision().getCurrent());
  }

  static boolean passwordByReference(Job job) {
    EnvVar password = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
        .stream().filter(e -> "POSTGRES_PASSWORD".equals(e.getName())).findFirst().orElseThrow();
    return password.getValue() == null && password.getValueFrom() != null
        && password.getValueFrom().getSecretKeyRef() != null
        && "app-creds".equals(password.getValueFrom().getSecretKeyRef().getName());
  }
}
