package dev.dbmigration.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps each object in its pruned form ({@link CachedForms}): the
 * object the watch delivered goes to the event handlers and is then dropped. One store per
 * informer: a store shared by several informers (one per namespace) would let each one's relist
 * remove the others' objects.
 */
final class PrunedStore<R extends HasMetadata> implements ItemStore<R> {

  private final BasicItemStore<R> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<R> prune;

  PrunedStore(UnaryOperator<R> prune) {
    this.prune = prune;
  }

  @Override
  public String getKey(R obj) {
    return items.getKey(obj);
  }

  @Override
  public R put(String key, R obj) {
    return items.put(key, prune.apply(obj));
  }

  @Override
  public R remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet();
  }

  @Override
  public Stream<R> values() {
    return items.values();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public R get(String key) {
    return items.get(key);
  }
}
