package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a Job's status the way the Job controller does. The API server (1.34) validates these
 * transitions: a finished Job needs a startTime, no active pods, a SuccessCriteriaMet or
 * FailureTarget condition before Complete or Failed, and a completionTime exactly when Complete.
 */
final class JobStatusWriter {

  static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
  static final String BACKOFF_LIMIT_MESSAGE = "Job has reached the specified backoff limit";
  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
  static final String DEADLINE_MESSAGE = "Job was active longer than specified deadline";
  static final String COMPLETIONS_REACHED = "CompletionsReached";

  private final KubernetesClient client;

  JobStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Marks the Job started with one active pod. False when the Job is gone, finished, or already
   * has a startTime: then someone else runs it and this runner must not.
   */
  boolean started(Job job, Instant startTime) {
    return StatusUpdate.apply(client, job, fresh -> {
      JobStatus status = statusOf(fresh);
      if (status.getStartTime() != null || isFinished(status)) {
        return false;
      }
      status.setStartTime(StatusUpdate.timestamp(startTime));
      status.setActive(1);
      status.setReady(0);
      return true;
    }).isPresent();
  }

  /** One pod failed and another will be tried (backoffLimit above the failures so far). */
  void failedAttempt(Job job, int failed) {
    StatusUpdate.apply(client, job, fresh -> {
      JobStatus status = statusOf(fresh);
      if (isFinished(status)) {
        return false;
      }
      status.setFailed(failed);
      status.setActive(1);
      status.setReady(0);
      return true;
    });
  }

  void succeeded(Job job, int failed, Instant completionTime) {
    String now = StatusUpdate.timestamp(completionTime);
    finish(job, status -> {
      status.setSucceeded(1);
      status.setFailed(failed > 0 ? failed : null);
      status.setCompletionTime(now);
      addConditions(status, condition("SuccessCriteriaMet", COMPLETIONS_REACHED, null, now),
          condition("Complete", COMPLETIONS_REACHED, null, now));
    });
  }

  /** Failed for good: {@code reason} and {@code message} go on both FailureTarget and Failed. */
  void failed(Job job, int failed, String reason, String message, Instant at) {
    String now = StatusUpdate.timestamp(at);
    finish(job, status -> {
      status.setFailed(failed);
      addConditions(status, condition("FailureTarget", reason, message, now),
          condition("Failed", reason, message, now));
    });
  }

  private void finish(Job job, Consumer<JobStatus> outcome) {
    StatusUpdate.apply(client, job, fresh -> {
      JobStatus status = statusOf(fresh);
      if (isFinished(status) || status.getStartTime() == null) {
        return false;
      }
      status.setActive(0);
      status.setReady(0);
      outcome.accept(status);
      return true;
    });
  }

  static boolean isFinished(JobStatus status) {
    return status != null && status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
            && "True".equals(c.getStatus()));
  }

  private static JobStatus statusOf(Job job) {
    if (job.getStatus() == null) {
      job.setStatus(new JobStatus());
    }
    return job.getStatus();
  }

  private static void addConditions(JobStatus status, JobCondition... added) {
    List<JobCondition> conditions = status.getConditions() == null
        ? new ArrayList<>() : new ArrayList<>(status.getConditions());
    conditions.addAll(List.of(added));
    status.setConditions(conditions);
  }

  private static JobCondition condition(String type, String reason, String message, String now) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(now)
        .withLastTransitionTime(now)
        .build();
  }
}
