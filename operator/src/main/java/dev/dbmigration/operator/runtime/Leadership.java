package dev.dbmigration.operator.runtime;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica holds the Lease, as a gauge ({@code dbmigration_operator_leader}) and in
 * the log. Losing the Lease while running means another replica may already act: the replica
 * must stop acting at once, which {@code onLost} does (the process exits, and the restarted pod
 * waits as a standby). Losing it because the operator is stopping is expected and does nothing.
 */
final class Leadership {

  static final String GAUGE = "dbmigration.operator.leader";
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final String identity;
  private final Runnable onLead;
  private final Runnable onLost;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();

  Leadership(String identity, MeterRegistry registry, Runnable onLead, Runnable onLost) {
    this.identity = identity;
    this.onLead = onLead;
    this.onLost = onLost;
    Gauge.builder(GAUGE, leading, l -> l.get() ? 1 : 0)
        .description("1 while this operator replica holds the leader Lease and reconciles")
        .register(registry);
  }

  /** Without leader election the one replica always leads. */
  void leadWithoutElection() {
    leading.set(true);
  }

  boolean isLeading() {
    return leading.get();
  }

  /** From here on, losing the Lease is the expected end of a stop. */
  void stopping() {
    stopping.set(true);
    leading.set(false);
  }

  LeaderCallbacks callbacks() {
    return new LeaderCallbacks(this::started, this::stopped, this::newLeader);
  }

  private void started() {
    leading.set(true);
    LOG.info("{} holds the leader Lease: reconciling", identity);
    onLead.run();
  }

  private void stopped() {
    leading.set(false);
    if (stopping.get()) {
      LOG.info("{} released leadership on stop", identity);
      return;
    }
    LOG.error("{} lost the leader Lease while running: stopping so that only the new leader acts",
        identity);
    onLost.run();
  }

  private void newLeader(String leader) {
    if (!identity.equals(leader)) {
      LOG.info("leader is {}; {} waits as a standby", leader, identity);
    }
  }
}
