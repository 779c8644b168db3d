package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.model.job.JobOutcome;
import dev.dbmigration.operator.model.job.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One migration per database at a time, across every resource that points at it. A database is
 * known by host, port and name; its running Job carries that key in an annotation, indexed in
 * the Job informer. The check and the Job's creation happen under a lock of that database only
 * (runs on different databases start in parallel), and a Job this process just made counts as
 * running until the informer shows it, so two reconcilers racing for one database cannot both
 * start.
 */
final class DatabaseRuns {

  private static final String INDEX = "database";
  /** A Job the informer never shows (deleted at once) stops blocking its database after this. */
  private static final Duration UNSEEN_GRACE = Duration.ofMinutes(1);

  private final InformerEventSource<Job, ?> jobs;
  private final Clock clock;
  private final Map<String, Started> started = new ConcurrentHashMap<>();
  // One small lock per database key ever seen; bounded by the databases the operator migrates.
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  DatabaseRuns(InformerEventSource<Job, ?> jobs, Clock clock) {
    this.jobs = jobs;
    this.clock = clock;
    jobs.addIndexers(Map.of(INDEX, job -> {
      String key = annotation(job);
      return key == null ? List.of() : List.of(key);
    }));
  }

  static String key(String host, int port, String database) {
    return host + ":" + port + "/" + database;
  }

  /**
   * Creates the Job with {@code create} unless another run on the same database is still going;
   * then returns that run's Job instead and creates nothing.
   */
  Result startUnlessBusy(String key, String ownJob, Supplier<Job> create) {
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      Optional<Job> busy = activeRun(key, ownJob);
      if (busy.isPresent()) {
        return new Result(null, busy.get());
      }
      Job created = create.get();
      started.put(key, new Started(created, clock.instant()));
      return new Result(created, null);
    }
  }

  private Optional<Job> activeRun(String key, String ownJob) {
    Optional<Job> cached = jobs.byIndex(INDEX, key).stream()
        .filter(j -> isActive(j) && !ownJob.equals(j.getMetadata().getName()))
        .findFirst();
    if (cached.isPresent()) {
      return cached;
    }
    Started recent = started.get(key);
    if (recent == null || ownJob.equals(recent.job().getMetadata().getName())) {
      return Optional.empty();
    }
    Optional<Job> seen = jobs.get(ResourceID.fromResource(recent.job()));
    boolean unseenTooLong = seen.isEmpty()
        && recent.at().plus(UNSEEN_GRACE).isBefore(clock.instant());
    if (seen.map(j -> !isActive(j)).orElse(unseenTooLong)) {
      started.remove(key, recent);
      return Optional.empty();
    }
    return Optional.of(seen.orElse(recent.job()));
  }

  private static boolean isActive(Job job) {
    return !JobOutcome.of(job).phase().isFinal();
  }

  private static String annotation(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Labels.DATABASE_ANNOTATION);
  }

  private record Started(Job job, Instant at) {
  }

  /** Either the Job just created, or the other run's Job that is still going. */
  record Result(Job created, Job busyWith) {
  }
}
