package dev.dbmigration.operator.model.job;

import static dev.dbmigration.operator.model.job.EnvVars.reference;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/**
 * The Jobs around a run: the plan before it and the drift check after it. Each is the run's own
 * Job (same image, working directory, pod settings, connection variables) with another
 * container command, so whatever the run's pod is given, these are given too; neither takes the
 * database lock, and neither is retried.
 */
public final class PlanJobBuilder {

  public static final String PLAN_CONTAINER = "plan";
  public static final String CHECK_CONTAINER = "check";
  /** The host an offline plan's engine is given: a name that resolves nowhere (RFC 6761). */
  public static final String OFFLINE_HOST = "offline-plan.invalid";

  private PlanJobBuilder() {
  }

  /**
   * The Job that renders {@code plan}. An offline plan's pod gets no credentials and
   * {@link #OFFLINE_HOST} for the database host: it cannot touch the database.
   */
  public static Job plan(DatabaseMigration dbm, String jobName, String host, String image,
      PlanCommand plan) {
    Job job = derived(dbm, jobName, plan.offline() ? OFFLINE_HOST : host, image,
        Labels.COMPONENT_PLAN, PLAN_CONTAINER, plan.command());
    if (plan.offline()) {
      Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
      container.setEnv(container.getEnv().stream()
          .filter(e -> e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null)
          .filter(e -> !references(e, dbm))
          .toList());
    }
    return job;
  }

  /** The Job that runs {@code command}, the engine's drift check, against {@code host}. */
  public static Job driftCheck(DatabaseMigration dbm, String jobName, String host, String image,
      List<String> command) {
    return derived(dbm, jobName, host, image, Labels.COMPONENT_DRIFT_CHECK, CHECK_CONTAINER,
        command);
  }

  private static Job derived(DatabaseMigration dbm, String jobName, String host, String image,
      String component, String container, List<String> command) {
    Job job = MigrationJobBuilder.build(dbm, jobName, host, image, null);
    job.getMetadata().setLabels(Labels.ofRun(dbm, component));
    job.getSpec().getTemplate().getMetadata().setLabels(Labels.ofRun(dbm, component));
    job.getSpec().setBackoffLimit(0);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container main = pod.getContainers().get(0);
    main.setName(container);
    main.setCommand(List.copyOf(command));
    return job;
  }

  // An engine variable assembled from the credentials by $(VAR) expansion (Flyway's URL, user,
  // password) is dropped with them: it would expand to nothing useful.
  private static boolean references(EnvVar env, DatabaseMigration dbm) {
    if (env.getValue() == null) {
      return false;
    }
    var names = dbm.getSpec().envOrDefault();
    return env.getValue().contains(reference(names.usernameOrDefault()))
        || env.getValue().contains(reference(names.passwordOrDefault()))
        || env.getValue().contains(reference(names.databaseOrDefault()));
  }
}
