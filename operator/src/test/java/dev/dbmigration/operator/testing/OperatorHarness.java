package dev.dbmigration.operator.testing;

import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.runtime.MigrationOperator;
import dev.dbmigration.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Set;
import org.awaitility.Awaitility;

/** Starts and stops the real operator in-process against a test API server. */
public final class OperatorHarness implements AutoCloseable {

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private MigrationOperator operator;

  /** The operator's defaults, watching every namespace. */
  public OperatorHarness(KubernetesClient client) {
    this(client, new OperatorSettings(Set.of(), 0));
  }

  /** With these settings (namespaces, leader election); the ports are the caller's to serve. */
  public OperatorHarness(KubernetesClient client, OperatorSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /**
   * For tests of the Kubernetes side alone, whose leader pods carry loopback IPs where no
   * database listens: the operator runs the Job without reaching the database, as
   * DATABASE_CHECK=best-effort does in clusters that keep it away from the databases.
   */
  public static OperatorHarness withoutDatabase(KubernetesClient client) {
    return new OperatorHarness(client, new OperatorSettings(Set.of(), 0)
        .withDatabaseCheck(DatabaseCheckMode.BEST_EFFORT));
  }

  public OperatorHarness start() {
    operator = new MigrationOperator(client, settings);
    operator.start();
    Awaitility.await("operator informers synced").atMost(Duration.ofSeconds(60))
        .until(operator::isReady);
    return this;
  }

  /** The running operator (its metrics, whether it leads). */
  public MigrationOperator operator() {
    return operator;
  }

  public void stop() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
