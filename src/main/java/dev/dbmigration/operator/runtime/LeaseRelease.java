package dev.dbmigration.operator.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the leader Lease back when a replica stops, as client-go's ReleaseOnCancel does: no
 * holder, a one-second duration. The next replica then takes over at its next try (2 s) instead
 * of waiting out the Lease (15 s); a rolling update hands over at once. JOSDK's elector does not
 * release (it needs its stop callback either way), so the operator does it after stopping.
 */
final class LeaseRelease {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {
  }

  /** Releases the Lease if {@code identity} holds it; anything else is left as it is. */
  static void release(KubernetesClient client, String namespace, String name, String identity) {
    String ns = namespace != null ? namespace : client.getNamespace();
    try {
      Lease lease = client.leases().inNamespace(ns).withName(name).get();
      if (lease == null || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().setHolderIdentity("");
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.now());
      // An update with the resourceVersion just read: a replica that took over meanwhile wins.
      client.leases().inNamespace(ns).resource(lease).update();
      LOG.info("released the leader Lease {}/{}", ns, name);
    } catch (KubernetesClientException e) {
      LOG.warn("could not release the leader Lease {}/{} (HTTP {}); the next replica takes it"
          + " when it expires", ns, name, e.getCode());
    }
  }
}
