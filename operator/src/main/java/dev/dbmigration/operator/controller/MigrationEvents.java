package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts Kubernetes Events on a DatabaseMigration, so that `kubectl describe dbm` and cluster
 * event tooling show what happened. An Event that cannot be posted is logged, never fatal.
 */
public class MigrationEvents {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationEvents.class);
  private static final String COMPONENT = "database-migration-operator";
  private static final int MAX_MESSAGE = 1024;
  private static final int HEAD = 200;

  private final KubernetesClient client;
  private final Clock clock;

  public MigrationEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(DatabaseMigration dbm, String reason, String message) {
    post(dbm, "Normal", reason, message);
  }

  public void warning(DatabaseMigration dbm, String reason, String message) {
    post(dbm, "Warning", reason, message);
  }

  /**
   * Shortens a message to what an Event holds, keeping its first line (what happened) and its
   * end: a failure's message ends with the tool's last output, where the error is.
   */
  static String fit(String message) {
    if (message.length() <= MAX_MESSAGE) {
      return message;
    }
    int newline = message.indexOf('\n');
    String head = message.substring(0, newline >= 0 && newline < HEAD ? newline : HEAD);
    String marker = "\n…\n";
    int room = MAX_MESSAGE - head.length() - marker.length();
    return head + marker + message.substring(message.length() - room);
  }

  private void post(DatabaseMigration dbm, String type, String reason, String message) {
    String now = Instant.now(clock).toString();
    String text = fit(message == null ? "" : message);
    Event event = new EventBuilder()
        .withNewMetadata()
        .withNamespace(dbm.getMetadata().getNamespace())
        .withName(dbm.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(dbm.getApiVersion())
            .withKind(dbm.getKind())
            .withNamespace(dbm.getMetadata().getNamespace())
            .withName(dbm.getMetadata().getName())
            .withUid(dbm.getMetadata().getUid())
            .withResourceVersion(dbm.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(text)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(dbm.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      if (isNamespaceTerminating(e)) {
        // The namespace is being deleted with everything in it: nothing to tell anyone.
        LOG.debug("no {} event {}: the namespace is being deleted", type, reason);
      } else {
        LOG.warn("could not post {} event {}: HTTP {}", type, reason, e.getCode());
      }
    }
  }

  private static boolean isNamespaceTerminating(KubernetesClientException e) {
    return e.getCode() == 403 && e.getStatus() != null && e.getStatus().getMessage() != null
        && e.getStatus().getMessage().contains("being terminated");
  }
}
