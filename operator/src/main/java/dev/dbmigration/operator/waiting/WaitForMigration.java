package dev.dbmigration.operator.waiting;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.status.Readiness;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code wait} mode, for an app's init container: blocks until the app's DatabaseMigration
 * has succeeded for its current generation. Uses only {@code get} and {@code watch} on the one
 * resource (no list), so the app's ServiceAccount needs nothing more.
 */
public final class WaitForMigration {

  public static final int READY = 0;
  public static final int FAILED = 1;
  public static final int TIMED_OUT = 3;

  /** A watch can miss what happened between the get and its start; re-read at least this often. */
  private static final Duration REREAD = Duration.ofSeconds(30);

  private final Resource<DatabaseMigration> resource;
  private final String image;
  private final PrintStream out;
  private final Clock clock;

  public WaitForMigration(KubernetesClient client, String namespace, String name, PrintStream out,
      Clock clock) {
    this(client, namespace, name, null, out, clock);
  }

  /** @param image the app's image: only a successful run with it counts (null: any run) */
  public WaitForMigration(KubernetesClient client, String namespace, String name, String image,
      PrintStream out, Clock clock) {
    this.resource = client.resources(DatabaseMigration.class).inNamespace(namespace).withName(name);
    this.image = image;
    this.out = out;
    this.clock = clock;
  }

  /**
   * @param timeout how long to wait at most; null waits until the migration is ready or failed
   * @return {@link #READY}, {@link #FAILED} (the init container then fails and is retried) or
   *     {@link #TIMED_OUT}
   */
  public int await(Duration timeout) throws InterruptedException {
    Instant deadline = timeout == null ? null : clock.instant().plus(timeout);
    String said = null;
    while (true) {
      DatabaseMigration current = resource.get();
      BlockingQueue<DatabaseMigration> changes = new LinkedBlockingQueue<>();
      String resourceVersion = current == null ? null : current.getMetadata().getResourceVersion();
      try (Watch ignored = resource.watch(
          new ListOptionsBuilder().withResourceVersion(resourceVersion).build(), forward(changes))) {
        DatabaseMigration seen = current;
        Instant reread = clock.instant().plus(REREAD);
        while (true) {
          Readiness readiness = Readiness.of(seen, image);
          String line = readiness.state() + " " + readiness.message();
          if (!line.equals(said)) {
            out.println(line);
            said = line;
          }
          if (readiness.state() == Readiness.State.READY) {
            return READY;
          }
          if (readiness.state() == Readiness.State.FAILED) {
            return FAILED;
          }
          Instant now = clock.instant();
          if (deadline != null && !now.isBefore(deadline)) {
            out.println("timed out waiting for the migration");
            return TIMED_OUT;
          }
          Instant until = deadline != null && deadline.isBefore(reread) ? deadline : reread;
          DatabaseMigration next = changes.poll(Math.max(1, Duration.between(now, until).toMillis()),
              TimeUnit.MILLISECONDS);
          if (next == null || next == CLOSED) {
            break;
          }
          seen = next == DELETED ? null : next;
        }
      }
    }
  }

  // Sentinels on the queue: the resource was deleted, or the watch ended and must be renewed.
  private static final DatabaseMigration DELETED = new DatabaseMigration();
  private static final DatabaseMigration CLOSED = new DatabaseMigration();

  private static Watcher<DatabaseMigration> forward(BlockingQueue<DatabaseMigration> changes) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, DatabaseMigration resource) {
        changes.add(action == Action.DELETED ? DELETED : resource);
      }

      @Override
      public void onClose(WatcherException cause) {
        changes.add(CLOSED);
      }
    };
  }
}
