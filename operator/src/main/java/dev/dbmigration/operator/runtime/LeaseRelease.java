package dev.dbmigration.operator.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the leader Lease back when a replica stops, by deleting it (only if this replica still
 * holds it, at the version it read). The next replica then takes over at its next try (2 s)
 * instead of waiting out the Lease (15 s), so a rolling update hands over at once, and when the
 * last replica stops (helm uninstall, kubectl delete -k deploy/) no Lease is left behind.
 * JOSDK's elector does not release (it needs its stop callback either way), so the operator
 * does it after stopping.
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
      // At the resourceVersion just read: a replica that took over meanwhile keeps its Lease.
      client.leases().inNamespace(ns).withName(name)
          .lockResourceVersion(lease.getMetadata().getResourceVersion()).delete();
      LOG.info("released the leader Lease {}/{}", ns, name);
    } catch (KubernetesClientException e) {
      LOG.warn("could not release the leader Lease {}/{} (HTTP {}); the next replica takes it"
          + " when it expires", ns, name, e.getCode());
    }
  }

  /**
   * Makes the holder's pod the owner of the Lease it just acquired: when the pod goes (a
   * rollout, a deleted pod, an uninstall), the garbage collector takes the Lease with it, even
   * if the pod could not release it (killed, or its permissions already removed).
   */
  static void ownBy(KubernetesClient client, String namespace, String name, String podName,
      String podUid) {
    String ns = namespace != null ? namespace : client.getNamespace();
    try {
      client.leases().inNamespace(ns).withName(name).edit(lease -> {
        lease.getMetadata().setOwnerReferences(java.util.List.of(
            new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("v1")
                .withKind("Pod").withName(podName).withUid(podUid).build()));
        return lease;
      });
    } catch (KubernetesClientException e) {
      LOG.warn("could not make pod {} the owner of the Lease {}/{} (HTTP {}); it stays after"
          + " the pod goes until a replica releases it", podName, ns, name, e.getCode());
    }
  }
}
