package dev.dbmigration.operator.runtime;

import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads reconciliations run on: as many as JOSDK's default, started when work comes and
 * ended after a while without any, so that an idle operator keeps none of their stacks (JOSDK's
 * own pool keeps every thread it ever started, 50 after any burst).
 */
final class ReconcilerThreads {

  static final int MOST = ConfigurationService.DEFAULT_RECONCILIATION_THREADS_NUMBER;
  static final Duration IDLE = Duration.ofSeconds(30);

  private ReconcilerThreads() {
  }

  static ExecutorService pool() {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory named = task -> {
      Thread thread = new Thread(task, "reconciler-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    ThreadPoolExecutor pool = new ThreadPoolExecutor(MOST, MOST, IDLE.toSeconds(),
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
