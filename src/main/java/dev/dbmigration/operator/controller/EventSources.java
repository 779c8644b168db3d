package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informers that wake the reconciler: its own Jobs (by owner reference), the credentials
 * Secrets and the database pods (both mapped back through an index of the resources' specs).
 * Reads in the reconciler go to these caches, never to the API server.
 */
final class EventSources {

  static final String JOBS = "jobs";
  static final String SECRETS = "secrets";
  static final String PODS = "pods";
  private static final String SECRET_INDEX = "credentials-secret";

  private EventSources() {
  }

  static InformerEventSource<Job, DatabaseMigration> jobs(EventSourceContext<DatabaseMigration> ctx) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, DatabaseMigration.class)
            .withName(JOBS)
            .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DatabaseMigration.class))
            .build(),
        ctx);
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

  static InformerEventSource<Pod, DatabaseMigration> pods(EventSourceContext<DatabaseMigration> ctx) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, DatabaseMigration.class)
            .withName(PODS)
            .withSecondaryToPrimaryMapper(pod -> primariesSelecting(ctx, pod))
            .build(),
        ctx);
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
