package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.job.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;

/**
 * The run's Job as a dependent resource: created when the plan says so, never updated (a Job's
 * spec is immutable, and a running migration must not be replaced), owned by its resource so the
 * cluster's garbage collector removes it with the resource. It is reconciled only for a Start
 * plan: leader flickers and spec edits while a Job runs never touch it.
 */
final class MigrationJob extends KubernetesDependentResource<Job, DatabaseMigration>
    implements Creator<Job, DatabaseMigration>, GarbageCollected<DatabaseMigration> {

  private static final String DESIRED = MigrationJob.class.getName();

  /**
   * @param pruned whether the informer keeps Jobs in their pruned form ({@link CachedForms#job}):
   *     only when JOSDK serves them with one informer (see DatabaseMigrationReconciler)
   */
  MigrationJob(boolean pruned) {
    super(Job.class, "jobs");
    // Only the operator's own Jobs are cached: the cluster's other Jobs are none of its business.
    // A plain create, not server-side apply: that would need patch on every Job, and a Job's
    // spec is never changed anyway.
    InformerConfiguration<Job>.Builder informer = InformerConfiguration.builder(Job.class)
        .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
        .withNamespacesInheritedFromController();
    if (pruned) {
      informer.withItemStore(new PrunedStore<>(CachedForms::job));
    }
    configureWith(new KubernetesDependentResourceConfigBuilder<Job>()
        .withUseSSA(false)
        .withKubernetesDependentInformerConfig(informer.build())
        .build());
  }

  /** Creates {@code job} for {@code primary} unless it exists; the created Job, or the one found. */
  Job create(DatabaseMigration primary, Job job, Context<DatabaseMigration> context) {
    context.managedWorkflowAndDependentResourceContext().put(DESIRED, job);
    return reconcile(primary, context).getSingleResource()
        .or(() -> getSecondaryResource(primary, context))
        .orElseThrow(() -> new IllegalStateException("Job " + job.getMetadata().getName()
            + " was neither created nor found"));
  }

  @Override
  protected Job desired(DatabaseMigration primary, Context<DatabaseMigration> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(DESIRED, Job.class);
  }
}
