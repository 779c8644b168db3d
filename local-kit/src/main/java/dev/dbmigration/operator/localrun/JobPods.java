package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the pod that stands for one attempt of a Job, as the Job controller would, and reports
 * its container's state, as the kubelet would. Nothing schedules or runs it but this runner.
 */
final class JobPods {

  static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  static final String LEGACY_JOB_NAME_LABEL = "job-name";
  static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
  static final String LEGACY_CONTROLLER_UID_LABEL = "controller-uid";

  /** How one container ended; {@code startedAt} is null when it never started. */
  record Termination(int exitCode, String reason, String message, Instant startedAt,
      Instant finishedAt) {
  }

  private final KubernetesClient client;

  JobPods(KubernetesClient client) {
    this.client = client;
  }

  /** A pod named {@code <job>-<5 random characters>} by the API server, owned by the Job. */
  Pod create(Job job) {
    String name = job.getMetadata().getName();
    PodTemplateSpec template = job.getSpec().getTemplate();
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(JOB_NAME_LABEL, name);
    labels.put(LEGACY_JOB_NAME_LABEL, name);
    // The API server puts these on the template of a Job created without a selector already.
    labels.putIfAbsent(CONTROLLER_UID_LABEL, job.getMetadata().getUid());
    labels.putIfAbsent(LEGACY_CONTROLLER_UID_LABEL, job.getMetadata().getUid());
    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withGenerateName(name + "-")
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(template.getMetadata() == null ? null
            : template.getMetadata().getAnnotations())
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion("batch/v1")
            .withKind("Job")
            .withName(name)
            .withUid(job.getMetadata().getUid())
            .withController(true)
            .withBlockOwnerDeletion(true)
            .build())
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
    return client.resource(pod).create();
  }

  void running(Pod pod, Container container, Instant startedAt) {
    String now = StatusUpdate.timestamp(startedAt);
    StatusUpdate.apply(client, pod, fresh -> {
      PodStatus status = statusOf(fresh, startedAt);
      if (isTerminal(status)) {
        return false;
      }
      status.setPhase("Running");
      status.setConditions(conditions(true, null, now));
      status.setContainerStatuses(List.of(new ContainerStatusBuilder(base(container))
          .withReady(true)
          .withStarted(true)
          .withState(new ContainerStateBuilder()
              .withNewRunning().withStartedAt(now).endRunning()
              .build())
          .build()));
      return true;
    });
  }

  /** Succeeded on exit code 0, Failed otherwise; the container's state says how it ended. */
  void terminated(Pod pod, Container container, Termination end) {
    String finishedAt = StatusUpdate.timestamp(end.finishedAt());
    StatusUpdate.apply(client, pod, fresh -> {
      PodStatus status = statusOf(fresh, end.finishedAt());
      if (isTerminal(status)) {
        return false;
      }
      status.setPhase(end.exitCode() == 0 ? "Succeeded" : "Failed");
      status.setConditions(conditions(false, "PodCompleted", finishedAt));
      status.setContainerStatuses(List.of(new ContainerStatusBuilder(base(container))
          .withReady(false)
          .withStarted(false)
          .withState(new ContainerStateBuilder()
              .withNewTerminated()
              .withExitCode(end.exitCode())
              .withReason(end.reason())
              .withMessage(end.message() == null || end.message().isEmpty() ? null : end.message())
              .withStartedAt(end.startedAt() == null
                  ? null : StatusUpdate.timestamp(end.startedAt()))
              .withFinishedAt(finishedAt)
              .endTerminated()
              .build())
          .build()));
      return true;
    });
  }

  private static ContainerStatus base(Container container) {
    return new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID("")
        .withRestartCount(0)
        .build();
  }

  private static PodStatus statusOf(Pod pod, Instant startTime) {
    if (pod.getStatus() == null) {
      pod.setStatus(new PodStatus());
    }
    if (pod.getStatus().getStartTime() == null) {
      pod.getStatus().setStartTime(StatusUpdate.timestamp(startTime));
    }
    return pod.getStatus();
  }

  private static boolean isTerminal(PodStatus status) {
    return "Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase());
  }

  private static List<PodCondition> conditions(boolean ready, String reason, String now) {
    return List.of(
        condition("PodScheduled", true, null, now),
        condition("Initialized", true, null, now),
        condition("ContainersReady", ready, reason, now),
        condition("Ready", ready, reason, now));
  }

  private static PodCondition condition(String type, boolean status, String reason, String now) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withLastTransitionTime(now)
        .build();
  }
}
