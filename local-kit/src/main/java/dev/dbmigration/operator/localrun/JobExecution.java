package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Job to its end: marks it started, runs a pod's container as a local process (again,
 * while the backoffLimit allows), and reports pod and Job as the kubelet and Job controller would.
 */
final class JobExecution implements Runnable {

  /** What every execution shares. */
  record Context(KubernetesClient client, ImageMapping images, Map<String, String> baseEnvironment,
      Path logDirectory, JobStatusWriter jobStatus, JobPods pods) {
  }

  static final String RUNNER_STOPPED = "RunnerStopped";
  static final String RUNNER_STOPPED_MESSAGE = "the local job runner stopped while the Job ran";
  // What container runtimes report for a container that could not be started.
  static final int START_ERROR_EXIT_CODE = 128;
  static final String START_ERROR = "StartError";
  // The API server defaults backoffLimit to 6; this is only for Jobs read without defaults.
  private static final int DEFAULT_BACKOFF_LIMIT = 6;

  private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);

  private enum Result { SUCCEEDED, FAILED, DEADLINE_EXCEEDED, STOPPED }

  private final Job job;
  private final Context context;
  private final String id;
  private volatile boolean cancelled;
  private volatile ProcessRun current;
  // Only the execution's own thread counts; a Job's failed count never goes down.
  private int failedPods;

  JobExecution(Job job, Context context) {
    this.job = job;
    this.context = context;
    this.id = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  /** Kills the running process, if any; a Job not started yet is left alone. */
  void cancel() {
    cancelled = true;
    ProcessRun run = current;
    if (run != null) {
      run.stop();
    }
  }

  @Override
  public void run() {
    if (cancelled) {
      return;
    }
    Instant startTime = Instant.now();
    if (!context.jobStatus().started(job, startTime)) {
      LOG.info("Job {} is gone, finished or started elsewhere; not running it", id);
      return;
    }
    try {
      runPods(startTime);
    } catch (RuntimeException e) {
      LOG.error("local run of Job {} broke off: {}", id, e.toString());
      failQuietly();
    }
  }

  private void runPods(Instant startTime) {
    int backoffLimit = job.getSpec().getBackoffLimit() == null
        ? DEFAULT_BACKOFF_LIMIT : job.getSpec().getBackoffLimit();
    while (true) {
      Duration remaining = remaining(startTime);
      if (remaining != null && remaining.isNegative()) {
        fail(JobStatusWriter.DEADLINE_EXCEEDED, JobStatusWriter.DEADLINE_MESSAGE);
        return;
      }
      switch (attempt(remaining)) {
        case SUCCEEDED -> {
          context.jobStatus().succeeded(job, failedPods, Instant.now());
          return;
        }
        case DEADLINE_EXCEEDED -> {
          failedPods++;
          fail(JobStatusWriter.DEADLINE_EXCEEDED, JobStatusWriter.DEADLINE_MESSAGE);
          return;
        }
        case STOPPED -> {
          failedPods++;
          fail(RUNNER_STOPPED, RUNNER_STOPPED_MESSAGE);
          return;
        }
        case FAILED -> {
          failedPods++;
          if (failedPods > backoffLimit || cancelled) {
            fail(JobStatusWriter.BACKOFF_LIMIT_EXCEEDED, JobStatusWriter.BACKOFF_LIMIT_MESSAGE);
            return;
          }
          context.jobStatus().failedAttempt(job, failedPods);
        }
      }
    }
  }

  private void fail(String reason, String message) {
    context.jobStatus().failed(job, failedPods, reason, message, Instant.now());
  }

  // One pod: created, its container launched or refused, its end reported.
  private Result attempt(Duration remaining) {
    Pod pod = context.pods().create(job);
    PodSpec spec = pod.getSpec();
    Container container = spec.getContainers().get(0);
    ContainerLaunch launch;
    try {
      launch = ContainerLaunch.of(spec, container, new EnvResolver(
              new ClusterSecrets(context.client(), namespace()), pod.getMetadata().getName(),
              namespace()),
          context.images(), context.baseEnvironment());
    } catch (JobStartException e) {
      return startFailed(pod, container, e.getMessage());
    }
    if (cancelled) {
      startFailed(pod, container, RUNNER_STOPPED_MESSAGE);
      return Result.STOPPED;
    }
    return runContainer(pod, container, launch, remaining);
  }

  private Result runContainer(Pod pod, Container container, ContainerLaunch launch,
      Duration remaining) {
    String podName = pod.getMetadata().getName();
    EnvResolver resolver = new EnvResolver(new ClusterSecrets(context.client(), namespace()),
        podName, namespace());
    Sidecars sidecars;
    try {
      sidecars = Sidecars.start(pod.getSpec(), c -> ContainerLaunch.ofSidecar(c, resolver,
          context.images(), context.baseEnvironment()), name -> logFile(podName + "-" + name),
          remaining == null ? null : Instant.now().plus(remaining));
    } catch (JobStartException e) {
      return startFailed(pod, container, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.STOPPED;
    }
    try (sidecars) {
      return runMain(pod, container, launch, remaining);
    }
  }

  private Result runMain(Pod pod, Container container, ContainerLaunch launch,
      Duration remaining) {
    String podName = pod.getMetadata().getName();
    Instant startedAt = Instant.now();
    context.pods().running(pod, container, startedAt);
    ProcessRun run;
    try {
      run = ProcessRun.start(launch.command(), launch.environment(), launch.workingDir(),
          logFile(podName));
    } catch (IOException e) {
      // The exception's text repeats the program path, which may come from an expansion.
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getClass().getSimpleName();
      return startFailed(pod, container,
          "cannot run " + container.getCommand().get(0) + ": " + why);
    }
    current = run;
    if (cancelled) {
      run.stop();
    }
    ProcessRun.Outcome outcome;
    try {
      outcome = run.await(remaining);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.STOPPED;
    } finally {
      current = null;
    }
    LOG.info("Job {}: pod {} exited with code {} after {} ms{}", id, podName,
        outcome.exitCode(), outcome.duration().toMillis(),
        outcome.ending() == ProcessRun.Ending.EXITED ? "" : " (" + outcome.ending() + ")");
    boolean success = outcome.exitCode() == 0;
    context.pods().terminated(pod, container, new JobPods.Termination(outcome.exitCode(),
        success ? "Completed" : "Error",
        // A kubelet keeps a short tail (FallbackToLogsOnError) for failed containers and serves
        // the rest as logs; this runner has no log endpoint, so a success keeps a longer tail.
        success ? outcome.longTail() : outcome.tail(), startedAt, Instant.now()));
    return switch (outcome.ending()) {
      case DEADLINE_EXCEEDED -> Result.DEADLINE_EXCEEDED;
      case STOPPED -> Result.STOPPED;
      case EXITED -> success ? Result.SUCCEEDED : Result.FAILED;
    };
  }

  private Result startFailed(Pod pod, Container container, String message) {
    LOG.info("Job {}: pod {} could not start: {}", id, pod.getMetadata().getName(), message);
    context.pods().terminated(pod, container, new JobPods.Termination(START_ERROR_EXIT_CODE,
        START_ERROR, message, null, Instant.now()));
    return Result.FAILED;
  }

  private void failQuietly() {
    try {
      fail(JobStatusWriter.BACKOFF_LIMIT_EXCEEDED, JobStatusWriter.BACKOFF_LIMIT_MESSAGE);
    } catch (RuntimeException e) {
      LOG.warn("cannot mark Job {} failed: {}", id, e.toString());
    }
  }

  // activeDeadlineSeconds counts from the Job's start, across all its pods.
  private Duration remaining(Instant startTime) {
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    if (deadline == null) {
      return null;
    }
    return Duration.ofSeconds(deadline).minus(Duration.between(startTime, Instant.now()));
  }

  private Path logFile(String podName) {
    Path dir = context.logDirectory();
    return dir == null ? null : dir.resolve(namespace()).resolve(podName + ".log");
  }

  private String namespace() {
    return job.getMetadata().getNamespace();
  }
}
