package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.model.JobOutcome;
import dev.dbmigration.operator.model.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One migration per database at a time, across every resource that points at it. A database is
 * known by host, port and name; its running Job carries that key in an annotation. The check and
 * the Job's creation happen under one lock, and Jobs this process just made are remembered until
 * the informer shows them, so two reconcilers racing for one database cannot both start.
 */
final class DatabaseRuns {

  private final InformerEventSource<Job, ?> jobs;
  private final Map<String, ResourceID> started = new HashMap<>();

  DatabaseRuns(InformerEventSource<Job, ?> jobs) {
    this.jobs = jobs;
  }

  static String key(String host, int port, String database) {
    return host + ":" + port + "/" + database;
  }

  /**
   * Creates the Job with {@code create} unless another run on the same database is still going;
   * then returns that run's Job instead and creates nothing.
   */
  synchronized Result startUnlessBusy(String key, String ownJob, Supplier<Job> create) {
    Optional<Job> busy = activeRun(key, ownJob);
    if (busy.isPresent()) {
      return new Result(null, busy.get());
    }
    Job created = create.get();
    started.put(key, ResourceID.fromResource(created));
    return new Result(created, null);
  }

  private Optional<Job> activeRun(String key, String ownJob) {
    Optional<Job> cached = jobs.list(j -> key.equals(annotation(j)) && isActive(j)
        && !ownJob.equals(j.getMetadata().getName())).findFirst();
    if (cached.isPresent()) {
      return cached;
    }
    ResourceID recent = started.get(key);
    if (recent == null) {
      return Optional.empty();
    }
    Optional<Job> job = jobs.get(recent);
    if (job.isEmpty() || !isActive(job.get())) {
      started.remove(key);
      return Optional.empty();
    }
    return job;
  }

  private static boolean isActive(Job job) {
    return !JobOutcome.of(job).phase().isFinal();
  }

  private static String annotation(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Labels.DATABASE_ANNOTATION);
  }

  /** Either the Job just created, or the other run's Job that is still going. */
  record Result(Job created, Job busyWith) {
  }
}
