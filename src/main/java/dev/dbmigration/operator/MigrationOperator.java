package dev.dbmigration.operator;

import dev.dbmigration.operator.controller.DatabaseMigrationReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.function.Consumer;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;

/** The operator wired up: one controller for DatabaseMigrations, on the given client. */
public final class MigrationOperator implements AutoCloseable {

  private final Operator operator;

  public MigrationOperator(KubernetesClient client, OperatorSettings settings) {
    this(client, settings, o -> { });
  }

  /** The overrides let the mock-server tier switch off server-side apply, which it lacks. */
  public MigrationOperator(KubernetesClient client, OperatorSettings settings,
      Consumer<ConfigurationServiceOverrider> overrides) {
    operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withCacheSyncTimeout(Duration.ofMinutes(2))
          .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
      overrides.accept(o);
    });
    operator.register(new DatabaseMigrationReconciler(settings), c -> {
      if (settings.watchesAllNamespaces()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
    });
  }

  public void start() {
    operator.start();
  }

  /** True once every informer has synced and is watching. */
  public boolean isReady() {
    return operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
