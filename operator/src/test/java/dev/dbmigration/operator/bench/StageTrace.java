package dev.dbmigration.operator.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * For {@code hack/bench.sh --trace} only: JOSDK's metrics hook, timestamping per resource every
 * event the operator received (its own resource's, or a Job's/Secret's/Pod's mapped to it) and
 * every reconciliation's start and end. A stage is then "the first such moment after the
 * previous stage", which splits create → Job and Job completed → Succeeded into their steps.
 * The plain run does not install it. It runs in the operator's JVM and is written to a file
 * that the benchmark reads back: both JVMs take {@code System.nanoTime()} from the same
 * CLOCK_MONOTONIC on Linux, so the two processes' moments compare directly.
 */
final class StageTrace implements Metrics {

  enum Kind { PRIMARY_EVENT, SECONDARY_EVENT, STARTED, FINISHED }

  private final Map<Kind, Map<String, List<Long>>> times = new ConcurrentHashMap<>();

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    ResourceID id = event.getRelatedCustomResourceID();
    if (id != null && id.getNamespace().isPresent()) {
      record(event instanceof ResourceEvent ? Kind.PRIMARY_EVENT : Kind.SECONDARY_EVENT,
          key(id.getNamespace().get(), id.getName()));
    }
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    record(Kind.STARTED, key(resource));
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    record(Kind.FINISHED, key(resource));
  }

  private void record(Kind kind, String key) {
    record(kind, key, System.nanoTime());
  }

  private void record(Kind kind, String key, long now) {
    List<Long> list = times.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(key, k -> new ArrayList<>());
    synchronized (list) {
      list.add(now);
    }
    synchronized (this) {
      notifyAll();
    }
  }

  /** One line per kind and resource: KIND TAB namespace/name TAB t1,t2,... */
  void write(Path file) throws IOException {
    StringBuilder out = new StringBuilder();
    times.forEach((kind, byKey) -> byKey.forEach((key, list) -> {
      synchronized (list) {
        out.append(kind).append('\t').append(key).append('\t')
            .append(String.join(",", list.stream().map(String::valueOf).toList())).append('\n');
      }
    }));
    Files.writeString(file, out);
  }

  static StageTrace read(Path file) throws IOException {
    StageTrace trace = new StageTrace();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split("\t");
      for (String t : f[2].split(",")) {
        trace.record(Kind.valueOf(f[0]), f[1], Long.parseLong(t));
      }
    }
    return trace;
  }

  /** The first moment of this kind at or after {@code from}, or -1. */
  long firstAfter(Kind kind, String key, long from) {
    List<Long> list = times.getOrDefault(kind, Map.of()).get(key);
    if (list == null) {
      return -1;
    }
    synchronized (list) {
      return list.stream().filter(t -> t >= from).mapToLong(Long::longValue).min().orElse(-1);
    }
  }

  /**
   * The chain event → reconcile started → reconcile finished after {@code from}, per key, once
   * every key has finished one (waiting on the hook's notifications).
   */
  synchronized long[][] chains(Kind event, List<String> keys, long[] from, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long[][] chains = new long[keys.size()][];
      int missing = 0;
      for (int i = 0; i < keys.size(); i++) {
        long received = firstAfter(event, keys.get(i), from[i]);
        long started = received < 0 ? -1 : firstAfter(Kind.STARTED, keys.get(i), received);
        long finished = started < 0 ? -1 : firstAfter(Kind.FINISHED, keys.get(i), started);
        chains[i] = new long[] {received, started, finished};
        if (finished < 0) {
          missing++;
        }
      }
      if (missing == 0) {
        return chains;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("trace: " + missing + " of " + keys.size()
            + " reconciliations not finished");
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private static String key(HasMetadata resource) {
    return key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }
}
