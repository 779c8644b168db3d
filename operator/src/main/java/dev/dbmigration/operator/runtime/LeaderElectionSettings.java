package dev.dbmigration.operator.runtime;

import java.time.Duration;

/**
 * Leader election through a Lease: only the replica holding it reconciles; the others keep their
 * caches warm and take over once the Lease expires. {@code namespace} null means the client's
 * namespace (in a pod: the service account's), {@code identity} null the host name.
 */
public record LeaderElectionSettings(String leaseName, String namespace, String identity,
    Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, String podUid) {

  public static final String DEFAULT_LEASE = "database-migration-operator";
  /** client-go's defaults, which JOSDK follows: a dead leader is replaced within about 15 s. */
  public static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  public static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  public LeaderElectionSettings {
    if (leaseName == null || leaseName.isBlank()) {
      throw new IllegalArgumentException("leader election needs a lease name");
    }
    if (renewDeadline.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException("the renew deadline must be shorter than the lease");
    }
  }

  public static LeaderElectionSettings of(String leaseName, String namespace, String identity) {
    return new LeaderElectionSettings(leaseName, namespace, identity, LEASE_DURATION,
        RENEW_DEADLINE, RETRY_PERIOD, null);
  }

  /**
   * The holder's pod (its uid, POD_UID from the downward API; the identity is its name): the
   * holder makes its pod the Lease's owner, so the cluster's garbage collector removes the Lease
   * with the pod, whatever became of the operator's own permissions by then (an uninstall takes
   * them together with the pods).
   */
  public LeaderElectionSettings withOwnerPod(String uid) {
    return new LeaderElectionSettings(leaseName, namespace, identity, leaseDuration, renewDeadline,
        retryPeriod, uid == null || uid.isBlank() ? null : uid);
  }
}
