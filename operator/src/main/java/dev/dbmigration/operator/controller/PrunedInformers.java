package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Informers on objects the operator reads but never writes (Secrets, pods, workloads), holding
 * each object only in its pruned form ({@link CachedForms}): memory grows with a few fields per
 * object, not with whole objects of everything in the watched namespaces. An event wakes the
 * resources {@code primaries} names, unless the change left the pruned form as it was (a pod's
 * annotation that Patroni rewrites every few seconds wakes nothing).
 *
 * <p>One informer per watched namespace, or one for all, each with a store of its own: JOSDK's
 * informer event sources take a single item store for all their informers, which is safe only
 * with one informer. Lists are paged, so that a namespace with many objects is never one response
 * held whole in memory.
 */
final class PrunedInformers<R extends HasMetadata> extends AbstractEventSource<R, DatabaseMigration>
    implements InformerWrappingEventSourceHealthIndicator<R> {

  /** Objects per page of a list: bounds what one response holds while the cache fills. */
  static final long LIST_PAGE = 500;
  private static final String ALL = "";

  /** How the objects of one namespace (or of all, when the namespace is null) are selected. */
  interface Selection<R extends HasMetadata> {
    FilterWatchListDeletable<R, ? extends KubernetesResourceList<R>, ? extends Resource<R>> select(
        String namespace);
  }

  private final boolean byNamespace;
  private final Selection<R> selection;
  private final UnaryOperator<R> prune;
  private final SecondaryToPrimaryMapper<R> primaries;
  private final Set<String> namespaces;
  private final Duration syncTimeout;
  private final Map<String, SharedIndexInformer<R>> informers = new ConcurrentHashMap<>();

  /**
   * @param byNamespace whether {@link #inNamespace} is asked: it needs an index of every cached
   *     object by namespace, which {@link #get} does not
   */
  PrunedInformers(String name, Class<R> type, EventSourceContext<DatabaseMigration> context,
      Selection<R> selection, UnaryOperator<R> prune, SecondaryToPrimaryMapper<R> primaries,
      boolean byNamespace) {
    super(type, name);
    this.byNamespace = byNamespace;
    this.selection = selection;
    this.prune = prune;
    this.primaries = primaries;
    Set<String> effective = context.getControllerConfiguration().getEffectiveNamespaces();
    this.namespaces = InformerConfiguration.allNamespacesWatched(effective) ? Set.of(ALL)
        : Set.copyOf(effective);
    this.syncTimeout = context.getControllerConfiguration().getConfigurationService()
        .cacheSyncTimeout();
  }

  @Override
  public synchronized void start() throws OperatorException {
    if (isRunning()) {
      return;
    }
    List<CompletableFuture<Void>> synced = namespaces.stream().map(ns -> {
      SharedIndexInformer<R> informer = selection.select(ns.equals(ALL) ? null : ns)
          .withLimit(LIST_PAGE).runnableInformer(0);
      informer.itemStore(new PrunedStore<>(prune));
      if (!byNamespace) {
        informer.removeNamespaceIndex();
      }
      informer.addEventHandler(new Handler());
      informers.put(ns, informer);
      return informer.start().toCompletableFuture();
    }).toList();
    try {
      CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new))
          .get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException("interrupted while the " + name() + " informers synced", e);
    } catch (ExecutionException | TimeoutException e) {
      stop();
      throw new OperatorException("the " + name() + " informers did not sync within "
          + syncTimeout + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
    }
    super.start();
  }

  @Override
  public synchronized void stop() throws OperatorException {
    informers.values().forEach(SharedIndexInformer::stop);
    informers.clear();
    super.stop();
  }

  /** The cached (pruned) object, if the informer has it. */
  Optional<R> get(ResourceID id) {
    String namespace = id.getNamespace().orElse(null);
    return informer(namespace).map(i -> i.getStore().getByKey(Cache.namespaceKeyFunc(namespace,
        id.getName())));
  }

  /** The cached (pruned) objects of {@code namespace}; only if made {@code byNamespace}. */
  List<R> inNamespace(String namespace) {
    return informer(namespace).map(i -> i.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace))
        .orElse(List.of());
  }

  /** Reads go through {@link #get} and {@link #inNamespace}; JOSDK asks nothing of this source. */
  @Override
  public Set<R> getSecondaryResources(DatabaseMigration primary) {
    return Set.of();
  }

  @Override
  public Map<String, InformerHealthIndicator> informerHealthIndicators() {
    Map<String, InformerHealthIndicator> health = new LinkedHashMap<>();
    informers.forEach((ns, informer) -> health.put(ns, new Health(ns, informer)));
    return health;
  }

  @Override
  public Status getStatus() {
    return InformerWrappingEventSourceHealthIndicator.super.getStatus();
  }

  private Optional<SharedIndexInformer<R>> informer(String namespace) {
    SharedIndexInformer<R> informer = informers.get(ALL);
    return Optional.ofNullable(informer != null || namespace == null ? informer
        : informers.get(namespace));
  }

  private void wake(R resource) {
    for (ResourceID id : primaries.toPrimaryResourceIDs(resource)) {
      getEventHandler().handleEvent(new Event(id));
    }
  }

  private final class Handler implements ResourceEventHandler<R> {

    @Override
    public void onAdd(R resource) {
      wake(resource);
    }

    @Override
    public void onUpdate(R cached, R resource) {
      // The previous version is what the store held: its pruned form.
      if (!unchanged(prune, cached, resource)) {
        wake(resource);
      }
    }

    @Override
    public void onDelete(R resource, boolean finalStateUnknown) {
      wake(resource);
    }
  }

  /** Whether {@code fresh} is, for decisions, what the store holds as {@code cached}. */
  static <R extends HasMetadata> boolean unchanged(UnaryOperator<R> prune, R cached, R fresh) {
    return cached != null && Objects.equals(prune.apply(fresh), cached);
  }

  private record Health(String namespace, SharedIndexInformer<?> informer)
      implements InformerHealthIndicator {

    @Override
    public boolean hasSynced() {
      return informer.hasSynced();
    }

    @Override
    public boolean isWatching() {
      return informer.isWatching();
    }

    @Override
    public boolean isRunning() {
      return informer.isRunning();
    }

    @Override
    public Status getStatus() {
      return isRunning() && hasSynced() && isWatching() ? Status.HEALTHY : Status.UNHEALTHY;
    }

    @Override
    public String getTargetNamespace() {
      return namespace.isEmpty() ? null : namespace;
    }
  }
}
