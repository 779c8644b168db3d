package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import dev.dbmigration.operator.model.validation.SecretView;
import dev.dbmigration.operator.plan.Observation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gathers one {@link Observation} from the informers' caches: nothing here asks the API server.
 */
final class Observer {

  private final PrunedInformers<Secret> secrets;
  private final PrunedInformers<Pod> pods;
  private final Workloads workloads;
  private final Clock clock;

  Observer(PrunedInformers<Secret> secrets, PrunedInformers<Pod> pods, Workloads workloads,
      Clock clock) {
    this.secrets = secrets;
    this.pods = pods;
    this.workloads = workloads;
    this.clock = clock;
  }

  Observation observe(DatabaseMigration dbm, Context<DatabaseMigration> context) {
    String namespace = dbm.getMetadata().getNamespace();
    List<Job> jobs = List.copyOf(context.getSecondaryResources(Job.class));
    PodTemplateSpec followed = dbm.getSpec() == null || dbm.getSpec().getImageFrom() == null
        ? null : workloads.podTemplate(namespace, dbm.getSpec().getImageFrom());
    return Observation.of(dbm, followed, jobs, relevantPods(dbm, jobs), secretView(dbm),
        clock.instant());
  }

  /** The database cluster's pods and the pods of this resource's Jobs, nothing else. */
  private List<Pod> relevantPods(DatabaseMigration dbm, List<Job> jobs) {
    Set<String> jobNames = jobs.stream().map(j -> j.getMetadata().getName())
        .collect(Collectors.toSet());
    LeaderDiscovery leader = dbm.getSpec() == null || dbm.getSpec().getDatabase() == null
        ? null : dbm.getSpec().getDatabase().getLeader();
    Map<String, String> selector = leader == null ? null : leader.getSelector();
    // The namespace's pods only: filtering every cached pod of the cluster instead grows with
    // the cluster, as the benchmark's profile showed.
    return pods.inNamespace(dbm.getMetadata().getNamespace()).stream()
        .filter(p -> LeaderSelection.matches(selector, p.getMetadata().getLabels())
            || jobNames.contains(label(p, JobPodOutput.JOB_NAME_LABEL)))
        .toList();
  }

  /**
   * The credentials Secret's key names as the cache has them; no database name, which only the
   * Secret read at the moment of use gives (see DatabaseAccess).
   */
  private SecretView secretView(DatabaseMigration dbm) {
    return EventSources.secretName(dbm)
        .flatMap(name -> secrets.get(new ResourceID(name, dbm.getMetadata().getNamespace())))
        .map(cached -> new SecretView(cached.getMetadata().getName(),
            CachedForms.keys(cached, CachedForms.KEYS),
            CachedForms.keys(cached, CachedForms.EMPTY_KEYS), null))
        .orElse(null);
  }

  private static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
