package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.review.PlanConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * Writes a resource's plan ConfigMap: created, or, when the resource's earlier plan holds the
 * name, replaced. No informer: the operator never needs to be woken by a ConfigMap, and holding
 * every plan of the cluster in memory would grow with the plans, not with its resources. A
 * ConfigMap of that name that is not the resource's own is left alone, and the run waits.
 */
final class PlanStore {

  private final KubernetesClient client;

  PlanStore(KubernetesClient client) {
    this.client = client;
  }

  void keep(DatabaseMigration dbm, ConfigMap plan) {
    try {
      client.resource(plan).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      ConfigMap existing = client.configMaps().inNamespace(plan.getMetadata().getNamespace())
          .withName(plan.getMetadata().getName()).get();
      if (existing == null) {
        client.resource(plan).create();
        return;
      }
      if (!PlanConfigMap.isOwnedBy(existing, dbm)) {
        throw new PlanRefusedException("ConfigMap " + plan.getMetadata().getName()
            + " exists and is not this resource's plan: rename or delete it so the plan can be"
            + " kept");
      }
      plan.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.resource(plan).update();
    }
  }

  /** The plan's ConfigMap could not be written; said in status by updateErrorStatus. */
  static final class PlanRefusedException extends RuntimeException {
    PlanRefusedException(String message) {
      super(message);
    }
  }
}
