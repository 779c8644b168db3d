package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finished Job's tool printed: the pod's termination message when there is one (a failed
 * container, or the local Job runner), else the last lines of the pod's log.
 */
final class JobOutputs {

  private static final Logger LOG = LoggerFactory.getLogger(JobOutputs.class);
  private static final int LOG_LINES = 400;
  /** A plan's log is read whole up to this: its end marker closes it. */
  private static final int PLAN_LOG_BYTES = 2 * 1024 * 1024;

  private final KubernetesClient client;

  JobOutputs(KubernetesClient client) {
    this.client = client;
  }

  Optional<String> read(Collection<Pod> namespacePods, Job job) {
    String jobName = job.getMetadata().getName();
    Optional<String> message = JobPodOutput.terminationMessage(namespacePods, jobName);
    if (message.isPresent()) {
      return message;
    }
    return JobPodOutput.newestPod(namespacePods, jobName).flatMap(p -> log(p, job));
  }

  private Optional<String> log(Pod pod, Job job) {
    var containers = job.getSpec().getTemplate().getSpec().getContainers();
    String container = containers.isEmpty() ? MigrationJobBuilder.CONTAINER_NAME
        : containers.get(0).getName();
    boolean plan = Labels.COMPONENT_PLAN.equals(job.getMetadata().getLabels() == null ? null
        : job.getMetadata().getLabels().get(Labels.COMPONENT));
    try {
      var log = client.pods().inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName()).inContainer(container);
      return Optional.ofNullable(plan ? log.limitBytes(PLAN_LOG_BYTES).getLog()
          : log.tailingLines(LOG_LINES).getLog());
    } catch (KubernetesClientException e) {
      LOG.warn("cannot read the log of pod {}: HTTP {}", pod.getMetadata().getName(), e.getCode());
      return Optional.empty();
    }
  }
}
