package dev.dbmigration.operator.model.job;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a migration pod has not started, read from what the kubelet and the scheduler wrote into
 * its status. A Job whose pod never starts stays active until its deadline (30 minutes by
 * default) while it holds the database for every other resource; this names the cause within
 * seconds and says when the run should end instead of waiting.
 */
public final class PodStart {

  /** Waiting reasons that nothing but a new image or a new spec resolves. */
  private static final Set<String> HOPELESS = Set.of("ErrImageNeverPull", "InvalidImageName");
  /** Waiting reasons the kubelet keeps retrying: a registry that comes back, a key created. */
  private static final Set<String> STUCK = Set.of("ImagePullBackOff", "ErrImagePull",
      "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
      "PreCreateHookError", "PostStartHookError");

  private PodStart() {
  }

  /**
   * What keeps the newest pod of a Job from starting, if anything.
   *
   * @param pods the Job's pods
   * @param deadline how long a pod may be stuck before its run ends
   */
  public static Optional<Problem> of(Collection<Pod> pods, Instant now, Duration deadline) {
    Optional<Pod> newest = pods.stream()
        .filter(p -> p.getMetadata() != null && p.getMetadata().getDeletionTimestamp() == null)
        .max((a, b) -> String.valueOf(a.getMetadata().getCreationTimestamp())
            .compareTo(String.valueOf(b.getMetadata().getCreationTimestamp())));
    return newest.flatMap(pod -> problem(pod, now, deadline));
  }

  private static Optional<Problem> problem(Pod pod, Instant now, Duration deadline) {
    String name = pod.getMetadata().getName();
    boolean late = age(pod, now).compareTo(deadline) >= 0;
    for (ContainerStatus container : containers(pod)) {
      ContainerStateWaiting waiting = container.getState() == null ? null
          : container.getState().getWaiting();
      if (waiting == null || waiting.getReason() == null) {
        continue;
      }
      String reason = waiting.getReason();
      boolean hopeless = HOPELESS.contains(reason) || isRootRefused(reason, waiting.getMessage());
      if (hopeless || STUCK.contains(reason)) {
        return Optional.of(new Problem(name, reason, "pod " + name + " cannot start: " + reason
            + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()), hopeless || late));
      }
    }
    Optional<PodCondition> unscheduled = pod.getStatus() == null
        || pod.getStatus().getConditions() == null ? Optional.empty()
        : pod.getStatus().getConditions().stream()
            .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
            .findFirst();
    return unscheduled.map(c -> new Problem(name, c.getReason() == null ? "Unschedulable"
        : c.getReason(), "pod " + name + " cannot be scheduled: "
        + (c.getMessage() == null ? c.getReason() : c.getMessage()), late));
  }

  // The kubelet refuses an image whose user is root (or a name, not a number) under
  // runAsNonRoot; only another image, or a numeric USER in it, resolves that.
  private static boolean isRootRefused(String reason, String message) {
    return "CreateContainerConfigError".equals(reason) && message != null
        && message.contains("runAsNonRoot");
  }

  private static List<ContainerStatus> containers(Pod pod) {
    if (pod.getStatus() == null) {
      return List.of();
    }
    List<ContainerStatus> init = pod.getStatus().getInitContainerStatuses();
    List<ContainerStatus> main = pod.getStatus().getContainerStatuses();
    return java.util.stream.Stream.concat(init == null ? java.util.stream.Stream.empty()
        : init.stream(), main == null ? java.util.stream.Stream.empty() : main.stream()).toList();
  }

  private static Duration age(Pod pod, Instant now) {
    try {
      return Duration.between(Instant.parse(pod.getMetadata().getCreationTimestamp()), now);
    } catch (DateTimeParseException | NullPointerException e) {
      return Duration.ZERO;
    }
  }

  /**
   * A pod that does not start.
   *
   * @param reason the kubelet's waiting reason (ImagePullBackOff, ErrImageNeverPull, ...) or the
   *     scheduler's (Unschedulable)
   * @param message for people: the pod, the reason and the kubelet's own message
   * @param ends whether the run should end now: it cannot heal, or it is past its deadline
   */
  public record Problem(String pod, String reason, String message, boolean ends) {
  }
}
