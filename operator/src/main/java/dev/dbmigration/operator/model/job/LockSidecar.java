package dev.dbmigration.operator.model.job;

import static dev.dbmigration.operator.model.job.EnvVars.literal;

import dev.dbmigration.operator.api.v1alpha1.CredentialsSecret;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import dev.dbmigration.operator.database.VersionTable;
import dev.dbmigration.operator.lock.LockArguments;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/**
 * The migration pod's native sidecar (an init container with restartPolicy Always) that holds
 * the database's advisory lock for the whole run: the operator's own image in its {@code lock}
 * mode. Its startup probe succeeds only once the lock is held, and the kubelet starts the
 * engine's container only then; it stops the sidecar after the engine's container has ended.
 */
public final class LockSidecar {

  public static final String CONTAINER_NAME = "lock";
  /** Where the holder listens once it holds the lock: the startup probe's port. */
  public static final int READY_PORT = 8543;
  /**
   * Set in the engine's container while the sidecar holds the lock, so that an env.py which
   * takes the same lock itself (an app that also migrates at start) skips it here instead of
   * waiting for its own pod.
   */
  public static final String HELD_VARIABLE = "DBMIGRATION_LOCK_HELD";

  private LockSidecar() {
  }

  /**
   * Whether a run of {@code spec} takes the lock: spec.databaseLock, and an engine with a version
   * table of its own for the key to name. A user's command has none (spec.versionTable is only
   * where it records a revision, not what it migrates), so it runs without the sidecar.
   */
  public static boolean applies(DatabaseMigrationSpec spec) {
    return spec.databaseLockOrDefault() && spec.engineOrDefault() != Engine.COMMAND;
  }

  /**
   * @param image the operator's image
   * @param host the database host the run is pointed at
   * @param waitSeconds how long the lock may be waited for: the run's deadline
   */
  public static Container of(DatabaseMigrationSpec spec, String image, String host,
      long waitSeconds) {
    return new ContainerBuilder()
        .withName(CONTAINER_NAME)
        .withImage(image)
        .withRestartPolicy("Always")
        // args, not command: the image's entrypoint is the operator's java command line.
        .withArgs("lock", "--version-table=" + VersionTable.forEngine(spec.engineOrDefault())
            .table(), "--ready-port=" + READY_PORT)
        .withImagePullPolicy("IfNotPresent")
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withEnv(env(spec, host))
        .withNewStartupProbe()
        .withNewTcpSocket().withPort(new IntOrString(READY_PORT)).endTcpSocket()
        .withPeriodSeconds(1)
        .withFailureThreshold((int) Math.min(Integer.MAX_VALUE, Math.max(1, waitSeconds)))
        .endStartupProbe()
        .withNewResources()
        .addToRequests("cpu", new Quantity("10m"))
        .addToRequests("memory", new Quantity("64Mi"))
        .addToLimits("memory", new Quantity("192Mi"))
        .endResources()
        .withSecurityContext(MigrationJobBuilder.containerSecurityContext())
        .build();
  }

  private static List<EnvVar> env(DatabaseMigrationSpec spec, String host) {
    CredentialsSecret secret = spec.getDatabase().getCredentialsSecret();
    SecretKeys keys = secret.keysOrDefault();
    return List.of(
        literal(LockArguments.HOST, host),
        literal(LockArguments.PORT, Integer.toString(spec.getDatabase().portOrDefault())),
        MigrationJobBuilder.fromSecret(LockArguments.DATABASE, secret.getName(),
            keys.databaseOrDefault()),
        MigrationJobBuilder.fromSecret(LockArguments.USER, secret.getName(),
            keys.usernameOrDefault()),
        MigrationJobBuilder.fromSecret(LockArguments.PASSWORD, secret.getName(),
            keys.passwordOrDefault()),
        // A small, quick JVM: it only holds a session. No perf data file: /tmp may not be
        // writable under an arbitrary UID.
        literal("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
            + " -Xss512k"));
  }
}
