package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.validation.KubernetesNames;
import java.util.LinkedHashMap;
import java.util.Map;

/** Label and annotation keys on the Jobs (and their pods) the operator creates. */
public final class Labels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "database-migration-operator";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String COMPONENT_VALUE = "migration";
  /** The component of a Job that renders a run's plan (spec.plan). */
  public static final String COMPONENT_PLAN = "plan";
  /** The component of a Job that checks the schema for drift after a run (spec.driftCheck). */
  public static final String COMPONENT_DRIFT_CHECK = "drift-check";
  /** The owning resource's name; left off when that name is too long to be a label value. */
  public static final String MIGRATION = DatabaseMigration.GROUP + "/migration";
  public static final String GENERATION = DatabaseMigration.GROUP + "/generation";

  public static final String TARGET_ANNOTATION = DatabaseMigration.GROUP + "/target";
  public static final String ACTION_ANNOTATION = DatabaseMigration.GROUP + "/action";
  public static final String RERUN_ANNOTATION = DatabaseMigration.RERUN_ANNOTATION;
  /** The leader a run was pointed at, so a restarted operator can still report it. */
  public static final String LEADER_POD_ANNOTATION = DatabaseMigration.GROUP + "/leader-pod";
  public static final String LEADER_HOST_ANNOTATION = DatabaseMigration.GROUP + "/leader-host";
  /** The engine a Job runs (alembic, flyway), for the metrics of runs in flight. */
  public static final String ENGINE_ANNOTATION = DatabaseMigration.GROUP + "/engine";
  /** The run identity (status.runIdentity) a Job belongs to. */
  public static final String RUN_ANNOTATION = DatabaseMigration.GROUP + "/run";
  /** host:port/database of the run, so runs on one database can wait for each other. */
  public static final String DATABASE_ANNOTATION = DatabaseMigration.GROUP + "/database";

  private Labels() {
  }

  /** The labels of a run's Job and of its pod, in a stable order. */
  public static Map<String, String> ofRun(DatabaseMigration dbm) {
    return ofRun(dbm, COMPONENT_VALUE);
  }

  /** The labels of a Job of {@code component} (migration, plan, drift-check) and its pod. */
  public static Map<String, String> ofRun(DatabaseMigration dbm, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(COMPONENT, component);
    String name = dbm.getMetadata().getName();
    // Resource names may be up to 253 characters; the owner reference still ties such Jobs to it.
    if (name != null && !name.isEmpty() && KubernetesNames.isLabelValue(name)) {
      labels.put(MIGRATION, name);
    }
    labels.put(GENERATION, Long.toString(RunIdentity.generationOf(dbm)));
    return labels;
  }
}
