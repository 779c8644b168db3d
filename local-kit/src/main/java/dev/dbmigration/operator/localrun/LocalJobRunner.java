package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the Job controller and the kubelet on an API server that has neither: watches
 * the operator's Jobs and runs each one's container as a local process, in a directory that
 * stands for its image, reporting pod and Job status as a cluster would.
 *
 * <p>Needs to list and watch Jobs, update jobs/status, create pods, update pods/status and get
 * Secrets in the namespaces it serves.
 */
public final class LocalJobRunner implements AutoCloseable {

  /** The only variables a process inherits from the runner; nothing else leaks in. */
  public static final List<String> INHERITED_VARIABLES = List.of("PATH", "HOME", "LANG", "TMPDIR");

  private static final Logger LOG = LoggerFactory.getLogger(LocalJobRunner.class);
  /**
   * The label of the Jobs it runs: the operator's (its Labels.MANAGED_BY); the kit does not
   * depend on the operator, LocalJobRunnerIT checks the two agree.
   */
  public static final String JOB_LABEL = "app.kubernetes.io/managed-by";
  public static final String JOB_LABEL_VALUE = "database-migration-operator";
  private static final int THREADS = 2;
  // Long enough for a killed process's grace period and the final status writes.
  private static final long CLOSE_WAIT_SECONDS = 20;

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final JobExecution.Context context;
  private final ThreadPoolExecutor executor;
  private final List<SharedIndexInformer<Job>> informers = new ArrayList<>();
  // Every Job this runner took on (or chose to leave alone), by uid, so none runs twice.
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, JobExecution> executions = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param extraEnvironment added to every process after the inherited variables; a container's
   *     own env wins over both
   * @param namespaces the namespaces to serve; empty for all
   */
  public LocalJobRunner(KubernetesClient client, ImageMapping images,
      Map<String, String> extraEnvironment, Set<String> namespaces) {
    this(client, images, extraEnvironment, namespaces, null);
  }

  /**
   * @param logDirectory where each pod's whole output goes, as {@code <namespace>/<pod>.log};
   *     null for nowhere
   */
  public LocalJobRunner(KubernetesClient client, ImageMapping images,
      Map<String, String> extraEnvironment, Set<String> namespaces, Path logDirectory) {
    this.client = Objects.requireNonNull(client, "client");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(extraEnvironment, "extraEnvironment");
    this.namespaces = Set.copyOf(namespaces);
    this.context = new JobExecution.Context(client, images,
        baseEnvironment(System.getenv(), extraEnvironment),
        logDirectory, new JobStatusWriter(client), new JobPods(client));
    this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0L, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), daemonThreads());
  }

  /** Starts watching; returns once the Jobs that already exist have been seen. */
  public synchronized LocalJobRunner start() {
    if (closed) {
      throw new IllegalStateException("the local job runner is closed");
    }
    if (!informers.isEmpty()) {
      return this;
    }
    ResourceEventHandler<Job> handler = new JobHandler();
    if (namespaces.isEmpty()) {
      informers.add(client.batch().v1().jobs().inAnyNamespace()
          .withLabel(JOB_LABEL, JOB_LABEL_VALUE).inform(handler));
    } else {
      for (String namespace : namespaces) {
        informers.add(client.batch().v1().jobs().inNamespace(namespace)
            .withLabel(JOB_LABEL, JOB_LABEL_VALUE).inform(handler));
      }
    }
    LOG.info("local job runner watching Jobs in {}",
        namespaces.isEmpty() ? "all namespaces" : namespaces);
    return this;
  }

  /**
   * Stops watching and kills the running processes; their Jobs are reported failed. Jobs still
   * waiting for a thread are left unstarted, for a later runner.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    informers.forEach(SharedIndexInformer::close);
    executions.values().forEach(JobExecution::cancel);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("local job runs did not end within {} s; interrupting them", CLOSE_WAIT_SECONDS);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** What a runner does with a Job it is told about. */
  enum Verdict { RUN, LEAVE_STARTED_ELSEWHERE, IGNORE }

  /** Runs Jobs that have not started: no startTime, not finished, not suspended, not deleting. */
  static Verdict verdict(Job job) {
    JobStatus status = job.getStatus();
    if (job.getMetadata().getUid() == null || JobStatusWriter.isFinished(status)
        || job.getMetadata().getDeletionTimestamp() != null
        || (job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().getSuspend()))) {
      return Verdict.IGNORE;
    }
    // Started by a runner that is gone, or by a real Job controller: running it again could
    // apply a migration twice.
    return status != null && status.getStartTime() != null
        ? Verdict.LEAVE_STARTED_ELSEWHERE : Verdict.RUN;
  }

  private void consider(Job job) {
    Verdict verdict = verdict(job);
    if (closed || verdict == Verdict.IGNORE) {
      return;
    }
    String uid = job.getMetadata().getUid();
    if (!seen.add(uid)) {
      return;
    }
    if (verdict == Verdict.LEAVE_STARTED_ELSEWHERE) {
      LOG.warn("Job {}/{} was started before this runner saw it; leaving it alone",
          job.getMetadata().getNamespace(), job.getMetadata().getName());
      return;
    }
    JobExecution execution = new JobExecution(job, context);
    executions.put(uid, execution);
    try {
      executor.execute(() -> {
        try {
          if (!closed) {
            execution.run();
          }
        } finally {
          executions.remove(uid);
        }
      });
    } catch (RejectedExecutionException e) {
      // Closing meanwhile: the Job stays unstarted, for a later runner.
      executions.remove(uid);
    }
  }

  // A deleted Job's process is killed; its uid can never come back.
  private void deleted(Job job) {
    seen.remove(job.getMetadata().getUid());
    JobExecution execution = executions.get(job.getMetadata().getUid());
    if (execution != null) {
      execution.cancel();
    }
  }

  /** The inherited variables of {@code runnerEnvironment}, then {@code extra}. */
  static Map<String, String> baseEnvironment(Map<String, String> runnerEnvironment,
      Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : INHERITED_VARIABLES) {
      String value = runnerEnvironment.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putAll(extra);
    return Map.copyOf(env);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "local-job-runner-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  // Informer callbacks come on one thread; they only hand work to the executor.
  private final class JobHandler implements ResourceEventHandler<Job> {

    @Override
    public void onAdd(Job job) {
      consider(job);
    }

    @Override
    public void onUpdate(Job oldJob, Job newJob) {
      consider(newJob);
    }

    @Override
    public void onDelete(Job job, boolean deletedFinalStateUnknown) {
      deleted(job);
    }
  }
}
