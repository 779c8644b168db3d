package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.model.job.JobOutcome;
import dev.dbmigration.operator.model.job.Labels;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One migration per database at a time, across every resource that points at it. A database is
 * known by host, port and name; its running Job carries that key in an annotation, indexed in
 * the Job informer. The check and the Job's creation happen under a lock of that database only
 * (runs on different databases start in parallel). A Job this process just made may not be in
 * the informer's index yet, so it is remembered until the informer has it; a Job gone from the
 * informer is finished (removed after it ended, or with its resource). A resource's own Jobs
 * never stand in its way.
 */
final class DatabaseRuns {

  private static final String INDEX = "database";

  private final InformerEventSource<Job, ?> jobs;
  /** The last Job created per database key, until the informer has indexed it. */
  private final Map<String, ResourceID> justCreated = new ConcurrentHashMap<>();
  // One small lock per database key ever seen; bounded by the databases the operator migrates.
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  DatabaseRuns(InformerEventSource<Job, ?> jobs) {
    this.jobs = jobs;
    jobs.addIndexers(Map.of(INDEX, job -> {
      String key = annotation(job);
      return key == null ? List.of() : List.of(key);
    }));
  }

  /**
   * Creates the Job with {@code create} unless a run of another resource on the same database is
   * still going; then returns that run's Job instead and creates nothing.
   */
  Result startUnlessBusy(String key, String ownerUid, Supplier<Job> create) {
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      Optional<Job> busy = activeRun(key, ownerUid);
      if (busy.isPresent()) {
        return new Result(null, busy.get());
      }
      Job created = create.get();
      justCreated.put(key, ResourceID.fromResource(created));
      return new Result(created, null);
    }
  }

  private Optional<Job> activeRun(String key, String ownerUid) {
    Optional<Job> indexed = jobs.byIndex(INDEX, key).stream()
        .filter(j -> isActive(j) && !isOwnedBy(j, ownerUid))
        .findFirst();
    if (indexed.isPresent()) {
      return indexed;
    }
    ResourceID recent = justCreated.get(key);
    if (recent == null) {
      return Optional.empty();
    }
    // get() also sees the Job the temporary cache holds between its creation and its watch event.
    Optional<Job> seen = jobs.get(recent);
    if (seen.isEmpty() || jobs.byIndex(INDEX, key).stream()
        .anyMatch(j -> recent.equals(ResourceID.fromResource(j)))) {
      justCreated.remove(key, recent);
      return Optional.empty();
    }
    return seen.filter(j -> isActive(j) && !isOwnedBy(j, ownerUid));
  }

  private static boolean isActive(Job job) {
    return !JobOutcome.of(job).phase().isFinal();
  }

  private static boolean isOwnedBy(Job job, String uid) {
    List<OwnerReference> owners = job.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> Objects.equals(o.getUid(), uid));
  }

  private static String annotation(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Labels.DATABASE_ANNOTATION);
  }

  /** Either the Job just created, or the other run's Job that is still going. */
  record Result(Job created, Job busyWith) {
  }
}
