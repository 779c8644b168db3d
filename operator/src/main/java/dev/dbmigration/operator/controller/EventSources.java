package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informers that wake the reconciler besides its Jobs' (see {@link MigrationJob}): the
 * credentials Secrets and the pods (the database's, mapped back through an index of the
 * resources' specs, and the Jobs', through their owner). Reads in the reconciler go to these
 * caches, never to the API server.
 */
final class EventSources {

  static final String SECRETS = "secrets";
  static final String PODS = "pods";
  private static final String SECRET_INDEX = "credentials-secret";

  private EventSources() {
  }

  static InformerEventSource<Secret, DatabaseMigration> secrets(
      EventSourceContext<DatabaseMigration> ctx) {
    ctx.getPrimaryCache().addIndexer(SECRET_INDEX, dbm -> secretName(dbm)
        .map(name -> List.of(key(dbm.getMetadata().getNamespace(), name)))
        .orElse(List.of()));
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, DatabaseMigration.class)
            .withName(SECRETS)
            .withSecondaryToPrimaryMapper(secret -> ctx.getPrimaryCache()
                .byIndex(SECRET_INDEX, key(secret.getMetadata().getNamespace(),
                    secret.getMetadata().getName()))
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .build(),
        ctx);
  }

  /**
   * Pods wake the resources whose leader selector matches them, and the resource whose Job made
   * them: a pod that cannot start changes nothing in its Job's status, only in its own.
   */
  static InformerEventSource<Pod, DatabaseMigration> pods(EventSourceContext<DatabaseMigration> ctx,
      InformerEventSource<Job, DatabaseMigration> jobs) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, DatabaseMigration.class)
            .withName(PODS)
            .withSecondaryToPrimaryMapper(pod -> {
              Set<ResourceID> primaries = new HashSet<>(primariesSelecting(ctx, pod));
              ownerOfJobPod(jobs, pod).ifPresent(primaries::add);
              return primaries;
            })
            .build(),
        ctx);
  }

  /** The resource whose Job made {@code pod}: pod to Job by owner reference, Job to resource. */
  static Optional<ResourceID> ownerOfJobPod(InformerEventSource<Job, DatabaseMigration> jobs,
      Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null || !Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))) {
      return Optional.empty();
    }
    String namespace = pod.getMetadata().getNamespace();
    return pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> "Job".equals(o.getKind()))
        .findFirst()
        .flatMap(o -> jobs.get(new ResourceID(o.getName(), namespace)))
        .flatMap(job -> job.getMetadata().getOwnerReferences().stream()
            .filter(o -> HasMetadata.getKind(DatabaseMigration.class).equals(o.getKind()))
            .findFirst())
        .map(o -> new ResourceID(o.getName(), namespace));
  }

  private static Set<ResourceID> primariesSelecting(EventSourceContext<DatabaseMigration> ctx,
      Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    return ctx.getPrimaryCache()
        .list(dbm -> namespace.equals(dbm.getMetadata().getNamespace()) && selects(dbm, pod))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static boolean selects(DatabaseMigration dbm, Pod pod) {
    DatabaseSpec database = dbm.getSpec() == null ? null : dbm.getSpec().getDatabase();
    if (database == null || database.getLeader() == null
        || database.getLeader().getSelector() == null
        || database.getLeader().getSelector().isEmpty()) {
      return false;
    }
    return LeaderSelection.matches(database.getLeader().getSelector(), pod.getMetadata().getLabels());
  }

  static Optional<String> secretName(DatabaseMigration dbm) {
    return Optional.ofNullable(dbm.getSpec())
        .map(s -> s.getDatabase())
        .map(d -> d.getCredentialsSecret())
        .map(c -> c.getName());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
