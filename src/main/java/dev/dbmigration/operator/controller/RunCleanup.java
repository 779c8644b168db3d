package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.job.Labels;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a deleted DatabaseMigration made: every Job it owns, running or finished (deleting
 * the resource stops its migration), and their pods. The garbage collector would do both through
 * the owner reference where one runs; doing it here as well costs nothing there, and works where
 * none runs. Never blocks the deletion: what it may not or cannot remove is logged and left.
 */
final class RunCleanup {

  /** The label the Job controller puts on a Job's pods. */
  static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  private static final Logger LOG = LoggerFactory.getLogger(RunCleanup.class);

  private final KubernetesClient client;

  RunCleanup(KubernetesClient client) {
    this.client = client;
  }

  void removeRunsOf(DatabaseMigration dbm) {
    String namespace = dbm.getMetadata().getNamespace();
    String uid = dbm.getMetadata().getUid();
    List<Job> owned;
    try {
      // From the API, not the cache: a Job created a moment ago must not be missed.
      owned = client.batch().v1().jobs().inNamespace(namespace)
          .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list().getItems().stream()
          .filter(job -> job.getMetadata().getOwnerReferences().stream()
              .anyMatch(o -> uid != null && uid.equals(o.getUid())))
          .toList();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot list the Jobs of the deleted resource, leaving them (HTTP {}): {}",
          e.getCode(), e.getMessage());
      return;
    }
    for (Job job : owned) {
      String name = job.getMetadata().getName();
      try {
        client.batch().v1().jobs().inNamespace(namespace).withName(name)
            .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        LOG.info("deleted Job {} of the deleted resource", name);
      } catch (KubernetesClientException e) {
        LOG.warn("cannot delete Job {} of the deleted resource, leaving it (HTTP {}): {}", name,
            e.getCode(), e.getMessage());
        continue;
      }
      deletePods(namespace, name);
    }
  }

  private void deletePods(String namespace, String job) {
    try {
      for (Pod pod : client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, job).list()
          .getItems()) {
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
      }
    } catch (KubernetesClientException e) {
      LOG.warn("cannot delete the pods of Job {}, leaving them to the garbage collector (HTTP {}):"
          + " {}", job, e.getCode(), e.getMessage());
    }
  }
}
