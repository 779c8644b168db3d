package dev.dbmigration.operator.model.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The failed tool's last output, as the kubelet keeps it in the pod status under
 * {@code terminationMessagePolicy: FallbackToLogsOnError}: no log access is needed to report it.
 */
public final class JobPodOutput {

  /** The label the Job controller puts on its pods. */
  public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

  private JobPodOutput() {
  }

  /** The termination message of the newest terminated migration container of the Job's pods. */
  public static Optional<String> terminationMessage(Collection<Pod> pods, String jobName) {
    return podsOf(pods, jobName)
        .map(JobPodOutput::message)
        .flatMap(Optional::stream)
        .findFirst();
  }

  /** The Job's newest pod, whose log holds the last attempt's output. */
  public static Optional<Pod> newestPod(Collection<Pod> pods, String jobName) {
    return podsOf(pods, jobName).findFirst();
  }

  private static java.util.stream.Stream<Pod> podsOf(Collection<Pod> pods, String jobName) {
    return pods.stream()
        .filter(p -> p.getMetadata() != null && jobName.equals(label(p, JOB_NAME_LABEL)))
        .sorted(Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
            .reversed());
  }

  private static Optional<String> message(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    // The pod's one main container: the engine's (migrate), a plan's or a drift check's; the
    // lock sidecar is an init container and reports apart.
    return pod.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getState)
        .filter(s -> s != null && s.getTerminated() != null)
        .map(s -> s.getTerminated().getMessage())
        .filter(m -> m != null && !m.isBlank())
        .findFirst();
  }

  private static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
