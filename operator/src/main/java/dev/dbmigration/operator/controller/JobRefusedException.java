package dev.dbmigration.operator.controller;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** The API server refused to create a run's Job; the message is for the resource's status. */
final class JobRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  JobRefusedException(String job, KubernetesClientException cause) {
    super("the API server refused Job " + job + ": " + KubernetesErrors.describe(cause)
        + " (retried with backoff)", cause);
  }
}
