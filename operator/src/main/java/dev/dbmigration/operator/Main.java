package dev.dbmigration.operator;

import dev.dbmigration.operator.lock.LockArguments;
import dev.dbmigration.operator.lock.LockHolder;
import dev.dbmigration.operator.runtime.HealthServer;
import dev.dbmigration.operator.runtime.MetricsServer;
import dev.dbmigration.operator.runtime.MigrationOperator;
import dev.dbmigration.operator.runtime.OperatorClient;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.waiting.WaitArguments;
import dev.dbmigration.operator.waiting.WaitForMigration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar database-migration-operator.jar [--namespaces=a,b] [--health-port=N]
 * [--metrics-port=N] [--leader-election]}: runs the operator against the current kube context, or
 * the in-cluster config inside a pod, until SIGTERM (settings: {@link OperatorSettings}).
 * Local mode is a tool of its own (the local module: hack/run.sh local), not in this jar or
 * image.
 * {@code ... wait NAME} blocks until that DatabaseMigration succeeded, for an app's init
 * container (see {@link WaitForMigration}); {@code ... lock ...} holds a migration's database
 * lock in its pod (see {@link LockHolder}).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("local")) {
      System.err.println("local mode is not in the operator's jar or image: run hack/run.sh local"
          + " (java -jar local/target/database-migration-operator-local.jar)");
      System.exit(2);
    }
    if (args.length > 0 && args[0].equals("wait")) {
      System.exit(waitForMigration(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("lock")) {
      System.exit(holdLock(Arrays.copyOfRange(args, 1, args.length)));
    }
    OperatorSettings settings;
    try {
      settings = OperatorSettings.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = OperatorClient.builder().build();
    // A replica that lost its Lease exits (status 1); Kubernetes restarts it as a standby.
    MigrationOperator operator = new MigrationOperator(client, settings, o -> { },
        () -> System.exit(1));
    HealthServer health = new HealthServer(settings.healthPort(), operator::notReadyBecause);
    MetricsServer metrics = new MetricsServer(settings.metricsPort(), operator::scrape);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      operator.close();
      health.close();
      metrics.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    LOG.info("watching {} against {}; health on port {}, metrics on port {}; {}",
        settings.watchesAllNamespaces() ? "all namespaces" : settings.namespaces(),
        client.getMasterUrl(), health.port(), metrics.port(),
        settings.leaderElection() == null ? "no leader election"
            : "leader election on Lease " + settings.leaderElection().leaseName());
    try {
      operator.start();
    } catch (RuntimeException e) {
      // Logged, not thrown: with LOG_FORMAT=json the reason then reaches the log collector too.
      LOG.error("could not start the operator", e);
      System.exit(1);
    }
    stopped.await();
  }

  private static int holdLock(String[] args) throws InterruptedException {
    LockArguments arguments;
    try {
      arguments = LockArguments.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    LockHolder holder = new LockHolder(arguments, System.out);
    // SIGTERM (the kubelet stops a native sidecar once the engine's container has ended): end
    // the session, so the lock is free before the process is.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      holder.stop();
      try {
        holder.awaitEnded(java.time.Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "release-lock"));
    return holder.run();
  }

  private static int waitForMigration(String[] args) throws InterruptedException {
    WaitArguments arguments;
    try {
      arguments = WaitArguments.parse(args, System.getenv(),
          WaitArguments.SERVICE_ACCOUNT_NAMESPACE);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      System.out.println("waiting for databasemigration " + arguments.namespace() + "/"
          + arguments.name() + " to succeed" + (arguments.image() == null ? ""
          : " with image " + arguments.image()));
      return new WaitForMigration(client, arguments.namespace(), arguments.name(),
          arguments.image(), System.out, java.time.Clock.systemUTC()).await(arguments.timeout());
    }
  }
}
