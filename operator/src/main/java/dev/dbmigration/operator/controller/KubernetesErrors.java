package dev.dbmigration.operator.controller;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** One line about a failed request, for status and logs: the HTTP code and the server's words. */
final class KubernetesErrors {

  private static final int MAX = 600;

  private KubernetesErrors() {
  }

  static String describe(Throwable e) {
    String text;
    if (e instanceof KubernetesClientException k && k.getStatus() != null
        && k.getStatus().getMessage() != null) {
      text = "HTTP " + k.getCode() + " " + k.getStatus().getReason() + ": "
          + k.getStatus().getMessage();
    } else if (e instanceof KubernetesClientException k) {
      text = "HTTP " + k.getCode() + ": " + k.getMessage();
    } else {
      text = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return text.length() > MAX ? text.substring(0, MAX) + "…" : text;
  }
}
