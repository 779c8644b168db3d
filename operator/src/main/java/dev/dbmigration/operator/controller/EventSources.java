package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
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
 * resources' specs, and the Jobs', through their owner). Both hold objects pruned to what
 * decisions read ({@link CachedForms}); reads in the reconciler go to these caches, and only a
 * Secret's values, at the moment they are used, to the API server.
 */
final class EventSources {

  static final String SECRETS = "secrets";
  static final String PODS = "pods";
  private static final String SECRET_INDEX = "credentials-secret";
  /**
   * Secrets that are never credentials, left on the API server: Helm's release history (tens
   * of KB per revision, the bulk of a namespace's Secrets), service-account and bootstrap tokens,
   * registry credentials and TLS keys. A credentials Secret of one of these types is still read
   * when it is used, but a change to it wakes nothing.
   */
  static final List<String> NOT_CREDENTIALS = List.of("helm.sh/release.v1",
      "kubernetes.io/service-account-token", "kubernetes.io/dockercfg",
      "kubernetes.io/dockerconfigjson", "kubernetes.io/tls", "bootstrap.kubernetes.io/token");

  private EventSources() {
  }

  static PrunedInformers<Secret> secrets(EventSourceContext<DatabaseMigration> ctx) {
    ctx.getPrimaryCache().addIndexer(SECRET_INDEX, dbm -> secretName(dbm)
        .map(name -> List.of(key(dbm.getMetadata().getNamespace(), name)))
        .orElse(List.of()));
    KubernetesClient client = ctx.getClient();
    return new PrunedInformers<>(SECRETS, Secret.class, ctx, ns -> {
      FilterWatchListDeletable<Secret, SecretList, Resource<Secret>> secrets = ns == null
          ? client.secrets().inAnyNamespace() : client.secrets().inNamespace(ns);
      for (String type : NOT_CREDENTIALS) {
        secrets = secrets.withoutField("type", type);
      }
      return secrets;
    }, CachedForms::secret, secret -> ctx.getPrimaryCache()
        .byIndex(SECRET_INDEX, key(secret.getMetadata().getNamespace(),
            secret.getMetadata().getName()))
        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()), false);
  }

  /**
   * Pods wake the resources whose leader selector matches them, and the resource whose Job made
   * them: a pod that cannot start changes nothing in its Job's status, only in its own.
   */
  static PrunedInformers<Pod> pods(EventSourceContext<DatabaseMigration> ctx,
      InformerEventSource<Job, DatabaseMigration> jobs) {
    KubernetesClient client = ctx.getClient();
    return new PrunedInformers<>(PODS, Pod.class, ctx, ns -> ns == null
        ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns),
        CachedForms::pod, pod -> {
          Set<ResourceID> primaries = new HashSet<>(primariesSelecting(ctx, pod));
          ownerOfJobPod(jobs, pod).ifPresent(primaries::add);
          return primaries;
        }, true);
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
